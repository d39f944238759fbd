"""The core every feature builds on: settings, database and models, text, dates, signing, replies, the shared vocabulary.

It imports no feature package (enforced by the import contracts in pyproject.toml)."""
