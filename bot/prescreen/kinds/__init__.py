"""Question kinds as plug-ins: a kind is one module here, named as the trial file names it
(`kind: yes_no`), with `read(question, reply)` and, when a reply to the question before may
already answer it, `follow_up(question, reply)`. A new kind is a new module and its answer
values (bot/trial/trial_file.py ANSWER_VALUES); nothing else dispatches on the kind.

A reply is read once (bot/understanding/reading.py: its names, yes/no, hedges, numbers and times);
each reader here interprets that one reading, so trying a reply against several
questions parses it only once.

Reading decisions worth knowing (tests pin each one):
- An answer that cannot be read gives None: the dialogue asks again and shows
  the question's example. Nothing is guessed about someone's health.
- A hedge ("not sure", "idk", "I think so") is 'unsure'; the study team then
  checks that item. A hedged time ("I think about 2 months ago") keeps the time.
- Times and ages are intervals (bot/understanding/times.py, ages.py); an interval wholly on one
  side of a question's line decides, one across it is 'unsure' (the study team checks).
- recent_use: a time since the last dose decides on its own ("stopped 2 weeks
  ago" with within_days 30 is 'yes'; "over a month ago" is 'no'); one across the
  line ("a month ago", about 15 to 46 days) is stored as those days, so the result
  says it could be either side of the limit; "never" is 'no';
  still taking it ("I take it", "on prednisone") is 'yes'; a negated window
  ("not in the last 2 months") is 'no' only if the window covers within_days;
  "since March" with no verb is None (taking since, or not since?).
- breathing_device: a plain "yes" is None, so the dialogue asks which machine
  (its buttons list them); a plain "no"/"none" is 'none'; naming several
  machines keeps the one the rules treat most strictly (ventilator, then pacer,
  then BiPAP/CPAP).
- sex: only a clear word (female/woman/she..., male/man/he...) is read.

The words for taking, stopping and planning a medicine, and for a sex, are data
(data/lexicon.yml `medicine_use`, `sex_words`), matched as whole-word phrases
like every other lexicon phrase; these modules are the grammar around them.
"""
from __future__ import annotations

from types import ModuleType
from typing import Mapping, Optional

from bot.prescreen.kinds import age, breathing_device, months_since, recent_use, sex, yes_no
from bot.prescreen.kinds.medicine_use import names_another_medicine
from bot.trial.model import AnswerValue, Question
from bot.trial.trial_file import ANSWER_VALUES
from bot.understanding.plain_text import phrase_words
from bot.understanding.reading import Reading


# The trial file's `kind:` -> the module that reads its answers.
KINDS: Mapping[str, ModuleType] = {
    "yes_no": yes_no,
    "recent_use": recent_use,
    "age": age,
    "months_since": months_since,
    "sex": sex,
    "breathing_device": breathing_device,
}


def kind_of(question: Question) -> ModuleType:
    try:
        return KINDS[question.kind]
    except KeyError:
        raise ValueError(f"question {question.id}: unknown kind {question.kind!r}") from None


def _matches_button(question: Question, reply: Reading) -> Optional[str]:
    """A button value or title typed or clicked ("unsure", "Not sure", "BiPAP or CPAP")."""
    said = reply.joined
    allowed = ANSWER_VALUES[question.kind] or frozenset()
    if said in allowed:
        return said
    for button in question.buttons:
        if said in (" ".join(phrase_words(button.title)), " ".join(phrase_words(button.value))):
            return button.value
    return None


def read_answer(question: Question, reply: Reading) -> Optional[AnswerValue]:
    """The stored value of a free-text (or button) answer; None when it cannot be read.

    `reply` is the one reading of the reply (bot.understanding.reading.read_reply): the same reading is
    tried against the question asked, earlier answers and the questions after it.
    """
    if not reply.text.strip():
        return None
    button = _matches_button(question, reply)
    if button is not None:
        return button
    return kind_of(question).read(question, reply)


def read_follow_up(question: Question, reply: Reading) -> Optional[AnswerValue]:
    """The answer a reply gives to `question`, the next question, when it was said to the one before.

    "He started it last week", said to "does he take riluzole now?", also says the dose has
    not held 30 days; asking "has the dose stayed the same?" next would make the person say
    it twice. Only what the reply says beyond its bare yes or no counts, and only when it
    clearly speaks to this question; otherwise None and the question is asked as usual:
    - a hedged or pending reply ("I think he started it last week"): None; doubt is the
      person's to say to the question itself;
    - a reply naming another medicine than this question's: None (the time may be that one's);
    - a steady-dose question (`steady_for_days` / `changed_by`): read when the reply says a
      change or steadiness ("yes, same dose for 2 years": 'yes'; "they upped it 2 weeks ago":
      'no'; "changed it about a month ago": 'unsure', across the line); a start or use said
      with a time counts only as a 'no' ("started it last week"): "on it since 2023" says
      nothing about the dose;
    - a recent-use question: read when the reply names its medicine with a time or "never"
      ("no, he stopped Rilutek 2 months ago": 'no');
    - any other kind: None.
    The value is one read_answer would store for the same words.
    """
    if not reply.text.strip() or reply.hedged or reply.yes_no == "unsure":
        return None
    rest = reply.beyond_yes_no
    if not rest.text or names_another_medicine(question, rest):
        return None
    follow_up = getattr(kind_of(question), "follow_up", None)
    return None if follow_up is None else follow_up(question, rest)
