"""The chat page: its files (web/page/) and the server that serves them and relays to Rasa."""
