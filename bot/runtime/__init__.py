"""Running the assistant: the authenticated action server, Rasa's endpoints file, the local API token, the terminal chat."""
