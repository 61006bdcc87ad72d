"""What a reply outside the pre-screen comes to: its messages in order, and the topic it
answered, so that "where does that come from?" can cite that topic's sources next."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from bot.prescreen.state import Reply


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    # The topic answered; None leaves the one answered before as it is.
    last_topic: Optional[str] = None
