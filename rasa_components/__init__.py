"""Code that must run inside the Rasa server (custom NLU components, channels).

Importing the package (Rasa does, to load our components and channel) mends two things in Rasa's
RemoteAction: a French answer when the action server is down, and a response check done once
per schema instead of once per message.
"""

from rasa_components.action_guard import install as _install_action_guard
from rasa_components.action_response_check import install as _install_response_check

_install_action_guard()
_install_response_check()
