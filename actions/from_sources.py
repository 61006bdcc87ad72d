"""An answer quoted from the trial's sources, for a question NLU could not place."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.trial import replies
from bot.trial.model import Trial
from bot.trial.passages import passage_of
from bot.understanding import topics


def answer_from_sources(
    dispatcher: CollectingDispatcher, tracker: Tracker, trial: Trial
) -> Optional[list[EventType]]:
    """A passage of the trial file that answers what NLU could not place, quoted with its
    source, then the likely topics; None when no passage is close enough (bot.understanding.topics)."""
    message = tracker.latest_message
    found = topics.from_sources(
        topics.guesses([message.get("intent") or {}])[0],
        topics.guesses(message.get(topics.QUESTIONS) or []),
        topics.guesses(message.get(topics.PASSAGES) or []),
    )
    if found is None:
        return None
    ids = [p.get("passage") for p in message.get(topics.PASSAGES) or []
           if p.get("intent") == found.intent]
    topic_id = replies.topic_for_intent(found.intent) or ""
    passage = passage_of(trial, str(ids[0])) if ids else None
    if passage is None or trial.topic(topic_id) is None:
        return None
    answer = replies.passage_answer(trial, topic_id, passage.quote, passage.sources)
    likely = [found.intent] + [
        i for i in topics.suggestions(
            topics.guesses(message.get("intent_ranking") or [])
        ) if i != found.intent
    ]
    dispatcher.utter_message(
        text=answer.text, json_message=answer.payload(),
        buttons=replies.suggestion_buttons(trial, likely[: topics.MOST_SUGGESTIONS]),
    )
    return [SlotSet("last_topic", topic_id)]
