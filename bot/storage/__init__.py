"""Where pre-screens, hand-off requests and seen message ids are kept (SQLAlchemy)."""
