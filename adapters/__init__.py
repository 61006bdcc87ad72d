"""Rasa-server plug-ins (loaded by name from endpoints.yml), kept out of `bot/` and `actions/`."""
