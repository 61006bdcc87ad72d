"""An answer quoted from the trial's sources, for a question NLU could not place."""
from __future__ import annotations

from typing import Optional

from bot.answering.message import Message
from bot.answering.outcome import Outcome
from bot.prescreen.state import Reply
from bot.trial import replies
from bot.trial.model import Trial
from bot.trial.passages import passage_of
from bot.understanding import topics


def source_answer(trial: Trial, message: Message) -> Optional[Outcome]:
    """A passage of the trial file that answers what NLU could not place, quoted with its
    source, then the likely topics; None when no passage is close enough (bot.understanding.topics)."""
    found = topics.from_sources(
        message.intent, list(message.parts), [p.guess for p in message.passages]
    )
    if found is None:
        return None
    ids = [p.passage_id for p in message.passages if p.guess.intent == found.intent]
    topic_id = replies.topic_for_intent(found.intent) or ""
    passage = passage_of(trial, ids[0]) if ids else None
    if passage is None or trial.topic(topic_id) is None:
        return None
    answer = replies.passage_answer(trial, topic_id, passage.quote, passage.sources)
    likely = [found.intent] + [
        i for i in topics.suggestions(list(message.ranking)) if i != found.intent
    ]
    said = Reply(
        text=answer.text, custom=answer.payload(),
        buttons=replies.suggestion_buttons(trial, likely[: topics.MOST_SUGGESTIONS]),
    )
    return Outcome([said], topic_id)
