"""The small domain the tracker-store tests save conversations with (test_tracker_store.py,
test_retention.py): the pre-screen's slot and the slot that asks for a conversation to go."""
from __future__ import annotations

from rasa.shared.core.domain import Domain

TRACKER_DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, check_eligibility, deny, inform]
slots:
  prescreen:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
  forget_conversation:
    type: bool
    influence_conversation: false
    mappings: [{type: custom}]
""")
