"""tests/rasa runs in Rasa's environment with --confcutdir=tests/rasa (Makefile): tests/conftest.py is not loaded."""

from tests.fresh_settings import fresh_settings  # noqa: F401  (autouse: settings read again for each test)
