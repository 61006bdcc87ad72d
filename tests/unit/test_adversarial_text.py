"""One message must not freeze the assistant: every reader of a message, fed hostile text.

spaCy's tokenizer takes quadratic time on long runs of punctuation (8 KB of ")" held the
action server for 5 s). Every text is capped and tidied once (bot.understanding.message_text.bounded) before
any parser reads it; here each reader gets 8-16 KB of the worst shapes found, and must answer
within a generous second, with no more than the cap reaching spaCy.
"""
from __future__ import annotations

import asyncio
import random
import string
import time
from typing import Any, Callable, Iterator

import pytest
from spacy.language import Language

from bot.understanding import nlp
from bot.prescreen import screening
from bot.prescreen.stage_replies.review import reopen_for_correction
from bot.prescreen.state import DONE, State
from bot.prescreen.form_requests import Turn, is_emergency
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.lexicon import load_lexicon
from bot.understanding.message_text import MAX_CHARACTERS, bounded
from bot.understanding.questions_in_message import questions_in_message
from bot.understanding.reading import read_reply
from bot.trial.loading import load_trial
from tests.prescreen_driver import ELIGIBLE_MAN, READING_DAY
from tests.unit.test_prescreen_actions import Person

pytestmark = pytest.mark.usefixtures("screening_db")  # tests/unit/conftest.py

SECOND = 1.0  # generous: the bounded work takes milliseconds; 8 KB of ")" took 5 s before

HOSTILE = {
    "closing parentheses": ")" * 16_384,
    "exclamation marks": "!" * 16_384,
    "quote marks": '"' * 16_384,
    "mixed punctuation": ")(!?.,;:'\"-*#" * 1_200,
    "punctuation between spaces": ") ! ? " * 2_700,
    "one huge word": "a" * 16_384,
    "digits": "1" * 16_384,
    "emoji": "\U0001F600\U0001F64F" * 4_000,
    "emoji joined by zero-width joiners": "\U0001F468\u200d\U0001F469\u200d\U0001F467" * 2_000,
    "zero-width spaces": "\u200b" * 16_384,
    "zero-width inside words": "y\u200be\u200bs " * 3_000,
    "control characters": "\x00\x01\x7f" * 5_000,
    "newlines": "\n" * 16_384,
    "medicine names": "riluzole edaravone BiPAP " * 700,
    "typo-like words": "rilutekk " * 1_800,
    "a question then a paste": "am I eligible? " + "(!)" * 5_000,
    # Within the cap, so its last word is read: agreeing words that may be cut many ways, then one
    # that is not (tried every way, 20 of them took a second and each more doubled it).
    "agreeing words, then something else": "all right " * 59 + "x",
    "going-on words, then something else": "ok i am ready " * 42 + "x",
}


@pytest.fixture
def spacy_inputs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every text a spaCy pipeline is called on, while the test runs."""
    seen: list[str] = []
    real_call = Language.__call__

    def recording(self: Language, text: Any, **kwargs: Any) -> Any:
        seen.append(text)
        return real_call(self, text, **kwargs)

    monkeypatch.setattr(Language, "__call__", recording)
    yield seen


def timed(read: Callable[[], Any]) -> float:
    started = time.perf_counter()
    read()
    return time.perf_counter() - started


def read_everything(text: str) -> None:
    """Every property of the pre-screen's reading, as the questions use them."""
    reply = read_reply(text, READING_DAY)
    for name in ("mentions", "yes_no", "hedged", "says_negation", "says_never", "digits", "age",
                 "elapsed", "window", "days_ago"):
        getattr(reply, name)
    for other in (reply.without_frequency, reply.without_ended, reply.beyond_yes_no, reply.plain,
                  *reply.clauses[:20]):
        other.mentions, other.elapsed, other.yes_no


READERS: dict[str, Callable[[str], Any]] = {
    "spaCy names (bot.understanding.nlp)": nlp.find_entities,
    "the pre-screen's reading (bot.understanding.reading)": read_everything,
    "questions in a message (NLU)": questions_in_message,
    "the emergency check": lambda text: is_emergency(Turn(text=text)),
    "a new pre-screen's 'for whom'": lambda text: screening.start(load_trial(), text),
    "a correction after the result": lambda text: reopen_for_correction(
        load_trial(), _finished_state(), text, READING_DAY),
    "the review's 'that's all correct'": lambda text: load_dialogue_words().confirms_review(bounded(text)),
    "'carry on' after a pause": lambda text: load_dialogue_words().carries_on(bounded(text)),
}


def _finished_state() -> State:
    state = State(stage=DONE, is_self=True)
    state.answers = {"age": 54}
    return state


@pytest.mark.parametrize("shape", HOSTILE)
@pytest.mark.parametrize("reader", READERS)
def test_every_reader_answers_hostile_text_in_bounded_time(
    reader: str, shape: str, spacy_inputs: list[str]
) -> None:
    took = timed(lambda: READERS[reader](HOSTILE[shape]))
    assert took < SECOND, f"{reader} took {took:.2f} s on {shape}"
    assert all(len(text) <= MAX_CHARACTERS for text in spacy_inputs)


@pytest.mark.parametrize("shape", HOSTILE)
def test_the_pre_screen_form_takes_hostile_text_at_every_kind_of_question(
    shape: str, spacy_inputs: list[str]
) -> None:
    """Through the form's actions (actions/prescreen.py), at consent, for whom, and each
    question up to the age: a reply each time, quickly, and the person can go on."""
    person = Person().start()
    took = timed(lambda: person.say(HOSTILE[shape]))
    assert took < SECOND and person.messages, shape
    person.say("Yes, I agree")
    for question in list(ELIGIBLE_MAN)[:4]:
        took = timed(lambda: person.say(HOSTILE[shape]))
        assert took < SECOND, f"{took:.2f} s at {question} on {shape}"
        assert person.messages, "the form always answers"
        person.say(ELIGIBLE_MAN[question])
    assert person.stage != "consent"
    assert all(len(text) <= MAX_CHARACTERS for text in spacy_inputs)


def test_the_nlu_components_read_the_bounded_text() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from adapters.nlu_component import MessageLengthCap, TrialEntityExtractor

    message = Message(data={"text": "riluzole " + ")" * 16_384})
    took = timed(lambda: TrialEntityExtractor().process(MessageLengthCap().process([message])))
    assert took < SECOND
    assert message.get("text") == "riluzole )))"
    assert [e["value"] for e in message.get("entities")] == ["riluzole"]


def test_the_channels_store_and_check_only_the_bounded_text() -> None:
    """adapters/channels/: what the channel passes on (and Rasa stores) is bounded, and the
    emergency check of `never_silent` reads it quickly."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from adapters.channels.namespaces import in_namespace
    from adapters.channels.never_silent import _emergency_guidance

    received: list[UserMessage] = []

    async def handle(message: UserMessage) -> None:
        received.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    output = CollectingOutputChannel()
    output.replies_sent = 0  # type: ignore[attr-defined]
    text = "I can't breathe " + "!" * 16_384
    asyncio.run(in_namespace("rest", handle)(UserMessage(text, output, "me")))
    assert received[0].text == "I can't breathe !!!"
    took = timed(lambda: _emergency_guidance(text))
    assert took < SECOND and _emergency_guidance(text)


# --- the text itself ------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "I'm 54", "yes", "no!", "not sure?!", "5'10\"", "18+", "about 1.5 years ago", "3/4/2024",
    "Rilutek (riluzole) 50mg 2x/day", "what?? really...", "ok :-)", "\U0001F44D", "can my wife join?",
])
def test_what_people_type_is_unchanged(typed: str) -> None:
    assert bounded(typed) == typed


@pytest.mark.parametrize("typed, kept", [
    ("yes!!!!!!!!", "yes!!!"),
    ("what?!?!?!?!?!?!", "what?!?!?!"),
    ("\u200byes\u200d \ufeffplease", "yes please"),
    ("no\x00thanks", "no thanks"),
    ("54\ud800", "54"),
    ("a" * 10_000, "a" * MAX_CHARACTERS),
])
def test_runs_invisible_characters_and_length_are_bounded(typed: str, kept: str) -> None:
    assert bounded(typed) == kept


@pytest.mark.parametrize("shape", HOSTILE)
def test_bounding_is_idempotent_and_holds_for_parts(shape: str) -> None:
    once = bounded(HOSTILE[shape])
    assert bounded(once) == once and len(once) <= MAX_CHARACTERS
    assert bounded(once[7:301]) == once[7:301]


def test_the_spacy_vocabulary_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy remembers every new word for the pipeline's life; the pipeline is built anew
    once it has learnt MAX_NEW_STRINGS (lowered here to keep the test quick)."""
    monkeypatch.setattr(nlp, "MAX_NEW_STRINGS", 300)
    lexicon = load_lexicon()
    rng = random.Random(21)
    first = nlp.build_pipeline(lexicon)
    for _ in range(60):
        words = " ".join("".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(40))
        assert nlp.find_entities(f"I take riluzole {words}")[0].value == "riluzole"
        assert nlp.new_strings(nlp.build_pipeline(lexicon)) <= 300 + 41
    assert nlp.build_pipeline(lexicon) is not first
