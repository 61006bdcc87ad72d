"""The pre-screen's record in the screening store (bot.storage.store): opened at consent, each
answer as it comes, the verdict the person was shown; and the staff's note of a hand-off."""
from __future__ import annotations

import asyncio
import logging
from functools import lru_cache

from rasa_sdk import Tracker
from sqlalchemy.exc import SQLAlchemyError

from bot.messages import WORDS
from bot.prescreen.state import ASKING, CONSENT, DECLINED, DONE, FOR_WHOM, State
from bot.prescreen.eligibility import evaluate, verdict
from bot.privacy import identity
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningNotFound, ScreeningStore
from bot.trial.loading import load_trial
from bot.trial.model import Trial

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def store() -> ScreeningStore:
    """One store per action-server process; the URL comes from SCREENING_DB_URL."""
    return ScreeningStore()


def pseudonym(tracker: Tracker) -> str:
    """Whose stored answers these are: from the conversation id the channel adapter made
    ("twilio:+1555..."), never from the `input_channel` a request body may claim."""
    return pseudonym_for(tracker.sender_id)


def record_handoff(tracker: Tracker, reason: str, during_prescreen: bool) -> None:
    """Notes for staff that this person was pointed to the study team; never what they typed.

    The note is for statistics: if the store cannot take it now, the person is still told how
    to reach the study team, and the turn goes on.
    """
    try:
        store().record_handoff(
            pseudonym(tracker), load_trial().id, identity.channel_of(tracker.sender_id), reason,
            during_prescreen,
        )
    except SQLAlchemyError as error:
        logger.warning("Could not note a hand-off request (%s).", type(error).__name__)


def _subject(state: State) -> str:
    return "self" if state.is_self in (True, None) else "other"


STORE_TROUBLE = WORDS["store_trouble"]


def _save(tracker: Tracker, trial: Trial, before: State, after: State) -> bool:
    """Stores what the conversation holds: nothing before consent, then each answer as it comes.

    The record opens when the questions begin, i.e. after consent and once we know whom they
    are about, so its subject ("self" or "other") is the right one. What is stored is compared
    with the conversation's own copy, not with the previous turn, so answers that could not be
    written while the store was down (a locked database) are written at the next save that
    works. Returns False when the store could not be written now.
    """
    try:
        _sync(tracker.sender_id, trial, before, after)
    except SQLAlchemyError as error:
        logger.warning("The pre-screen store could not be written (%s); the answers wait in the "
                       "conversation.", type(error).__name__)
        return False
    return True


async def save_off_loop(tracker: Tracker, trial: Trial, before: State, after: State) -> bool:
    """`_save` in a thread, for the actions: a commit waits for the disk (or PostgreSQL), and on
    the event loop that wait held up every other conversation this server was answering."""
    return await asyncio.to_thread(_save, tracker, trial, before, after)


def _sync(sender_id: str, trial: Trial, before: State, after: State) -> None:
    if after.screening_id is None:
        consented_now = after.stage == ASKING and before.stage in (CONSENT, FOR_WHOM)
        # Answers without a record: consent came while the store was down.
        if not consented_now and not after.answers:
            return
        if after.stage in (CONSENT, FOR_WHOM, DECLINED):
            return
        screening_id = store().start(
            pseudonym_for(sender_id), trial.id, identity.channel_of(sender_id), _subject(after)
        )
        after.screening_id = screening_id
    stored = store().get(after.screening_id)
    if stored is None:
        raise ScreeningNotFound(after.screening_id)
    if stored.subject != _subject(after):
        store().set_subject(after.screening_id, _subject(after))  # "actually it's for my mom"
    for question_id, value in after.answers.items():
        if question_id not in stored.answers or stored.answers[question_id] != value:
            store().record_answer(after.screening_id, question_id, value)
    for question_id in set(stored.answers) - set(after.answers):
        store().remove_answer(after.screening_id, question_id)
    if after.stage == DONE and (stored.verdict is None or set(stored.answers) != set(after.answers)):
        _finish(trial, after)


def _finish(trial: Trial, state: State) -> None:
    """Keeps the verdict the person was shown (again, if their answers were written late)."""
    results = evaluate(trial, state.answers)
    store().finish(
        state.screening_id,
        {r.id: {"status": r.status, "reason": r.reason} for r in results},
        verdict(results),
    )
