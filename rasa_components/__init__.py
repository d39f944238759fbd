"""Code that must run inside the Rasa server (custom NLU components, channels)."""
