"""Where pre-screens, hand-off requests, seen message ids and (as Rasa writes it) the conversation
history are kept (SQLAlchemy)."""
