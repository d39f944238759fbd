"""The project's web server: the chat widget's page, feedback, calendar files, the development sign-in."""
