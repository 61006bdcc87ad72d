"""Rasa SDK actions: thin adapters from the dialogue to the domain in `bot/`."""
