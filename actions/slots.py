"""The slots and the form the actions share (domain.yml), each named once here."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot.prescreen.state import FINAL_STAGES

# The whole pre-screen state; only the pre-screen actions set it (custom mapping).
PRESCREEN_SLOT = "prescreen"
# The stage of that state, mirrored for Rasa's rules (only actions.prescreen.prescreen_events sets it).
STAGE_SLOT = "prescreen_stage"
PAUSED_SLOT = "prescreen_paused"  # an unfinished pre-screen from an earlier session (actions/session.py)
REPLY_SLOT = "prescreen_reply"
# The topic answered last, for "where does that come from?".
LAST_TOPIC_SLOT = "last_topic"
PRESCREEN_FORM = "prescreen_form"


def prescreen_in_progress(tracker: Tracker) -> bool:
    """The form is open, or a pre-screen was left unfinished in this conversation."""
    if tracker.active_loop_name == PRESCREEN_FORM:
        return True
    stage = tracker.get_slot(STAGE_SLOT)
    return stage is not None and stage not in FINAL_STAGES
