"""Reading the entities our NLU component put on the latest message."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.lexicon import load_lexicon


def medication_groups(tracker: Tracker) -> list[str]:
    """Groups (riluzole, edaravone, immunosuppressant...) of medicines named in the last message."""
    lexicon = load_lexicon()
    entities: list[dict[str, Any]] = tracker.latest_message.get("entities") or []
    return [
        lexicon.group_of_medication(e["value"])
        for e in entities
        if e.get("entity") == "medication" and e.get("value")
    ]
