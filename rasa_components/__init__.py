"""Code that must run inside the Rasa server (custom NLU components, channels).

Importing the package (Rasa does, to load our components and channel) mends three things in Rasa's
calls to the action server: a French answer when the action server is down, a response check done
once per schema instead of once per message, and one HTTP session per endpoint instead of one per
call (rasa_components/action_session.py); and it installs the filter that keeps message text out of
Rasa's logs (rasa_components/log_privacy.py).
"""

from rasa_components.log_privacy import install as _install_log_privacy

_install_log_privacy()

from rasa_components.action_guard import install as _install_action_guard  # noqa: E402
from rasa_components.action_response_check import install as _install_response_check  # noqa: E402
from rasa_components.action_session import install as _install_action_session  # noqa: E402

_install_action_guard()
_install_response_check()
_install_action_session()
