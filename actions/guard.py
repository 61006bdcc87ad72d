"""The one guard the actions that answer a message go through, before their own work.

First the emergency check (actions.emergency): NLU can take "my husband can't breathe" for
anything, so an action that answers in its own words gives the guidance first, then either
stops there or goes on ("hi, my dad is choking" still gets the greeting). Then the
shared-place check (actions.shared_place): a personal action (the pre-screen, the answers
shown or deleted) points a Slack channel to a direct message instead. What the guard found is
handed to the action, so no action asks again.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.emergency import emergency_first
from actions.shared_place import DIRECT_MESSAGE_ONLY, in_shared_place

# What an emergency means for an action.
STOP = "stop"  # the guidance is the whole reply
GO_ON = "go_on"  # the guidance first, then the action's own reply


@dataclass(frozen=True)
class Checked:
    """What the guard found about the latest message."""

    emergency: bool  # the emergency guidance was given
    shared_place: bool  # it came from a place others read


class GuardedAction(Action, ABC):
    """An action whose `act` runs after the guard.

    Abstract, so the action server does not register the guard itself as an action.
    A subclass says what the guard does for it: `on_emergency` (STOP, GO_ON, or None when the
    action does not answer a message in its own words), and `personal`, with the events it
    returns instead in a shared place (`refused`: they close what the action would open).
    """

    on_emergency: ClassVar[Optional[str]] = None
    personal: ClassVar[bool] = False

    def refused(self, tracker: Tracker) -> list[EventType]:
        """A personal action's events in a shared place, instead of its own."""
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        emergency = self.on_emergency is not None and emergency_first(dispatcher, tracker)
        if emergency and self.on_emergency == STOP:
            return []
        shared = in_shared_place(tracker)
        if self.personal and shared:
            dispatcher.utter_message(text=DIRECT_MESSAGE_ONLY)
            return self.refused(tracker)
        return await self.act(dispatcher, tracker, domain, Checked(emergency, shared))

    @abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, checked: Checked
    ) -> list[EventType]:
        """The action's own work, once the guard let the message through."""
