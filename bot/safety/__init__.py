"""Safety and privacy: the follow-up of a crisis or a harassment report, retention of conversations."""
