"""Reading the entities on the latest message, as untrusted input.

Our NLU component puts canonical lexicon names there, but a person can type an intent with
entities of their own (`/ask_medications{"medication": ["x"]}`, a name of 10,000 characters, a
number, a name not in the lexicon): Rasa passes them on as they are. Only a string that names a
lexicon entry is read; anything else is skipped, never an error.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.understanding.lexicon import load_lexicon

# Longer than any lexicon name; a longer value is no name of ours.
MAX_VALUE_LENGTH = 100


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """The string values of the latest message's entities of one kind, in order."""
    entities: Any = tracker.latest_message.get("entities") or []
    if not isinstance(entities, list):
        return []
    return [
        e["value"] for e in entities
        if isinstance(e, dict) and e.get("entity") == entity and isinstance(e.get("value"), str)
        and 0 < len(e["value"]) <= MAX_VALUE_LENGTH
    ]


def medication_groups(tracker: Tracker) -> list[str]:
    """Groups (riluzole, edaravone, immunosuppressant...) of medicines named in the last message."""
    lexicon = load_lexicon()
    groups = []
    for value in entity_values(tracker, "medication"):
        try:
            groups.append(lexicon.group_of_medication(value))
        except KeyError:  # not a name in the lexicon
            continue
    return groups
