"""breathing_device questions: which machine; several named keep the one the rules treat most strictly."""
from __future__ import annotations

from typing import Optional

from bot.trial.model import Question
from bot.understanding.reading import Reading


BREATHING_SEVERITY = ("ventilator", "pacer", "noninvasive")


def read(question: Question, reply: Reading) -> Optional[str]:
    said = reply.yes_no
    if said == "unsure":
        return said
    devices = reply.breathing_devices
    used = {m.group for m in devices if not reply.negated(m)}
    for group in BREATHING_SEVERITY:
        if group in used:
            return group
    if devices or said == "no":
        return "none"  # only machines said with "no"/"not", or a plain no
    return None  # a bare "yes" does not say which machine: ask again
