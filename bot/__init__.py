"""Assistant RH core: content, search and storage, free of Rasa."""
