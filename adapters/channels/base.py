"""What every channel module shares: one logger and the shapes of buttons and handlers."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import UserMessage

# One logger for every channel, named as the channels were when they were one module.
logger = logging.getLogger("adapters.channels")

Buttons = List[Dict[Text, Any]]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
