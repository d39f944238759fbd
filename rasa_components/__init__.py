"""Code that must run inside the Rasa server (custom NLU components, channels)."""

from rasa_components.action_guard import install as _install_action_guard

_install_action_guard()
