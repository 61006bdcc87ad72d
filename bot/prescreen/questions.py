"""The pre-screen questions: who they are about, how they are asked, how answers are read.

The questions themselves (wording, order, when each is asked) live in the
trial file's `screening:` section; this module only knows the question kinds.
Answers are stored by question id as normalised values (see ANSWER_VALUES in
bot/trial/model.py), so the eligibility rules never see raw text.

A reply is read once (bot/understanding/reading.py: its names, yes/no, hedges, numbers and times);
each reader here interprets that one reading, so trying a reply against several
questions parses it only once.

Reading decisions worth knowing (tests pin each one):
- An answer that cannot be read gives None: the dialogue asks again and shows
  the question's example. Nothing is guessed about someone's health.
- A hedge ("not sure", "idk", "I think so") is 'unsure'; the study team then
  checks that item. A hedged time ("I think about 2 months ago") keeps the time.
- Times and ages are intervals (bot/understanding/answer_parsing.py); an interval wholly on one
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
like every other lexicon phrase; this module is the grammar around them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Optional

from bot.understanding.answer_parsing import find_medications, phrase_pattern
from bot.understanding.interval import Interval
from bot.understanding.lexicon import MEDICINE_USE_KINDS, Lexicon, load_lexicon
from bot.understanding.nlp import Mention
from bot.understanding.plain_text import phrase_words, plain_words
from bot.understanding.reading import Reading
from bot.trial.model import ANSWER_VALUES, AnswerValue, Question, Trial, conditions_hold

# ---------------------------------------------------------------------------
# Who the questions are about
# ---------------------------------------------------------------------------
# Relation words a caregiver uses ("my husband") are data: data/lexicon.yml `relations`.
PRONOUNS = {
    "he": ("he", "him", "his", "male"),
    "she": ("she", "her", "her", "female"),
    "they": ("they", "them", "their", None),
}


@dataclass(frozen=True)
class Subject:
    """The person the answers are about: the one typing, or someone they care for."""

    is_self: bool
    name: str  # "you", "your husband", "this person"
    they: str
    them: str
    their: str
    implied_sex: Optional[str] = None  # 'male' | 'female' | None: lets the dialogue skip the sex question

    @classmethod
    def self(cls) -> "Subject":
        """The person typing answers for themselves."""
        return cls(is_self=True, name="you", they="you", them="you", their="your")

    @classmethod
    def from_relation(cls, relation: Optional[str]) -> "Subject":
        """A caregiver's subject from how they name the person ("my husband", "Mom", None)."""
        text = " ".join(re.findall(r"[a-z]+(?:-[a-z]+)*", (relation or "").lower().replace("'", "")))
        relations = load_lexicon().relations
        if text and set(text.split()) <= set(relations["self"]) | {"for", "my", "own"}:
            return cls.self()
        if text in PRONOUNS:
            return cls._other("this person", text)  # named only as "he" or "she"
        for pronoun in ("he", "she", "they"):
            for word in sorted(relations[pronoun], key=len, reverse=True):
                if re.search(rf"(?<![\w-]){re.escape(word)}s?(?![\w-])", text):
                    return cls._other(f"your {word}", pronoun)
        return cls._other("this person", "they")

    @classmethod
    def _other(cls, name: str, pronoun: str) -> "Subject":
        they, them, their, sex = PRONOUNS[pronoun]
        return cls(is_self=False, name=name, they=they, them=them, their=their, implied_sex=sex)

    def placeholders(self) -> dict[str, str]:
        """Values for the {name} / {they} ... placeholders of a question's `other` wording."""
        return {
            "name": self.name,
            "Name": _capitalise(self.name),
            "they": self.they,
            "They": _capitalise(self.they),
            "them": self.them,
            "their": self.their,
            "Their": _capitalise(self.their),
        }


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def wording(question: Question, subject: Subject) -> str:
    """The question as this subject should read it."""
    if subject.is_self:
        return _capitalise(question.ask_self)
    return _capitalise(question.ask_other.format_map(subject.placeholders()))


# ---------------------------------------------------------------------------
# Which question comes next
# ---------------------------------------------------------------------------
def _questions(trial: Trial) -> tuple[Question, ...]:
    if trial.screening is None:
        raise ValueError(f"trial {trial.id} has no screening questions")
    return trial.screening.questions


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the answers so far (its `when` holds)."""
    return conditions_hold(question.when, answers)


def next_question(trial: Trial, answers: Mapping[str, Any]) -> Optional[Question]:
    """The first question that applies and has no answer yet; None when the form is done."""
    return next(
        (q for q in _questions(trial) if answers.get(q.id) is None and applies(q, answers)),
        None,
    )


def answers_that_apply(trial: Trial, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers still in force after a correction.

    Changing "takes riluzole" from yes to no drops the "same dose" answer, so
    the dialogue asks the follow-up that now applies instead.
    """
    kept: dict[str, Any] = {}
    for question in _questions(trial):
        if answers.get(question.id) is not None and applies(question, kept):
            kept[question.id] = answers[question.id]
    return kept


def initial_answers(trial: Trial, subject: Subject) -> dict[str, Any]:
    """Answers known before asking: the sex a relation word implies ("my husband")."""
    sex_question = next((q for q in _questions(trial) if q.kind == "sex"), None)
    if sex_question is None or subject.implied_sex is None:
        return {}
    return {sex_question.id: subject.implied_sex}


def _phrase(text: str) -> str:
    """Lowercase words joined by single spaces, padded so ' word ' finds whole words."""
    return " " + " ".join(plain_words(text)) + " "


# Each trial's question keywords in plain words, made once (not once per reply), by the
# identity of its questions; the questions are kept with them so the id is not reused.
_KEYWORDS: dict[int, tuple[tuple[Question, ...], tuple[tuple[tuple[str, str], ...], ...]]] = {}


def _keyword_phrases(questions: tuple[Question, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Per question, its (keyword, padded plain phrase) pairs."""
    kept = _KEYWORDS.get(id(questions))
    if kept is None or kept[0] is not questions:
        phrases = tuple(
            tuple((k, _phrase(k)) for k in question.keywords if _phrase(k) != "  ") for question in questions
        )
        kept = _KEYWORDS[id(questions)] = (questions, phrases)
    return kept[1]


def find_question_named(trial: Trial, reply: Reading) -> Optional[Question]:
    """The question a correction points at ("change my riluzole answer"), by its keywords.

    Most keywords found wins, then the longest words, then the earlier question.
    A medicine or condition named without a keyword ("the Medrol one") picks the
    first question about its group.
    """
    said = f" {reply.joined} "
    best: Optional[Question] = None
    best_score = (0, 0)
    questions = _questions(trial)
    for question, keywords in zip(questions, _keyword_phrases(questions)):
        hits = [k for k, phrase in keywords if phrase in said]
        score = (len(hits), sum(len(k) for k in hits))
        if score > best_score:
            best, best_score = question, score
    if best is not None:
        return best
    groups = {m.group for m in reply.medications} | {m.group for m in reply.conditions}
    return next((q for q in _questions(trial) if {q.medicine, q.condition} & groups), None)


# ---------------------------------------------------------------------------
# Reading answers
# ---------------------------------------------------------------------------
SINGLE_LETTER_SEX = {"f": "female", "m": "male"}

# Negation (the words that turn the name after them into "not this one", and how far they
# reach) is one model for every reader: data/lexicon.yml `negation`, read once per reply by
# bot.understanding.reading (bot.understanding.answer_parsing.negated_at). How people say they take, stopped or plan to take a
# medicine, and the words for a sex, are data too (`medicine_use`, `sex_words`).


@dataclass(frozen=True)
class _UsePatterns:
    """The lexicon's `medicine_use` and `sex_words` phrases, each kind as one whole-word pattern."""

    current: re.Pattern[str]
    restarted: re.Pattern[str]
    started: re.Pattern[str]
    stopped: re.Pattern[str]
    plans: re.Pattern[str]
    no_plans: re.Pattern[str]
    since: re.Pattern[str]
    other_subjects: re.Pattern[str]
    female: re.Pattern[str]
    male: re.Pattern[str]


@lru_cache(maxsize=4)
def _use_patterns(lexicon: Lexicon) -> _UsePatterns:
    use, sex = lexicon.medicine_use, lexicon.sex_words or {}
    return _UsePatterns(
        # `ended` ("no longer") is read with the reply: Reading.without_ended.
        **{kind: phrase_pattern(use[kind]) for kind in MEDICINE_USE_KINDS if kind != "ended"},
        female=phrase_pattern(tuple(sex.get("female", ()))),
        male=phrase_pattern(tuple(sex.get("male", ()))),
    )


def _use() -> _UsePatterns:
    return _use_patterns(load_lexicon())


BREATHING_SEVERITY = ("ventilator", "pacer", "noninvasive")


def _word_before(text: str, mention: Mention) -> str:
    words = plain_words(text[: mention.start])
    return words[-1] if words else ""


def _current_use(reply: Reading, group: Optional[str]) -> Optional[bool]:
    """True if the answer says the medicine is taken now, False if stopped or not taken, None if neither.

    Use words count only for this question's medicine (or "it"): "takes baclofen daily"
    or "stopped baclofen" says nothing about riluzole. A start said plainly ("he started
    it last week", "they put her on riluzole") is taking it now; a negated one ("never
    started it") is not. A plan ("he will take it next month") says nothing about now.
    """
    joined, use = reply.joined, _use()
    meds = reply.medications
    ours = [m for m in meds if m.group == group]
    if meds and not ours:
        return None
    if use.restarted.search(joined):
        return True
    if use.stopped.search(joined):
        return False
    if _plans(joined):
        return None
    starts = list(use.started.finditer(joined))
    if starts and not ours and use.other_subjects.search(joined) and not IT_RE.search(joined):
        return None  # "his weakness began 14 months ago": a start, but not of the medicine
    if starts and all(reply.plain.negated_at(m.start()) for m in starts):
        return False
    if any(_word_before(reply.text, m) == "on" for m in ours):
        return True
    if starts or use.current.search(joined):
        return True
    return None


# The medicine referred to without its name ("started it last week").
IT_RE = re.compile(r"\b(?:it|them|that|this|these|those|the (?:pills?|tablets?|medicine|medication|drug))\b")


def _plans(joined: str) -> bool:
    """A plan to take it is said, and not taken back ("no plans", "not going to")."""
    use = _use()
    return bool(use.plans.search(joined)) and not use.no_plans.search(joined)


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


def _read_yes_no(question: Question, reply: Reading) -> Optional[str]:
    said = reply.yes_no
    if said == "unsure":
        return said
    described = _read_described(question, reply)
    if described is not None:
        return described
    if question.medicine:
        using = _current_use(reply, question.medicine)
        if using is True:
            return "yes" if said != "no" else None
        if using is False:
            return "no" if said != "yes" else None
    if question.condition:
        named = [m for m in reply.conditions if m.group == question.condition and not reply.negated(m)]
        if named:
            return "yes" if said != "no" else None
    timed = _time_since_answer(question, reply, said)
    if timed is not None:
        return None if timed == ASK_AGAIN else timed
    if question.steady_for_days is not None or question.changed_by:
        steady = _read_steady(question, reply, said)
        if steady == ASK_AGAIN:
            return None
        if steady is not None:
            return steady
    if said is None and _restates(question, reply):
        return "yes"
    if said == "no" and any(_restates(question, clause) for clause in reply.clauses[1:]):
        # "he can't walk far, but we can drive there", "not a citizen yet, green card holder":
        # a no and a plain yes in another clause. Which is it? Ask again.
        return None
    return said


ASK_AGAIN = "ask again"
# When a reply describes several statuses, the answer that weighs most: one that meets the
# question outweighs one that surely does not, which outweighs one for the study team
# ("moved here from Mexico and have our green cards": yes; "tourist visa": a visit, no).
DESCRIBED_WEIGHT = ("yes", "no", "unsure")


def _read_described(question: Question, reply: Reading) -> Optional[str]:
    """The answer the statuses a reply describes give (the question's `described_by`), or
    None when it describes none of them. A hedge or a pending state is read before this."""
    if not question.described_by:
        return None
    meaning = {d.kind: d for d in question.described_by}
    answers = set()
    for described in reply.descriptions:
        said_as = meaning.get(described.kind)
        if said_as is not None:
            answer = said_as.negated if described.negated else said_as.said
            if answer is not None:
                answers.add(answer)
    return next((a for a in DESCRIBED_WEIGHT if a in answers), None)


def _read_steady(question: Question, reply: Reading, said: Optional[str]) -> Optional[str]:
    """Whether something stayed the same long enough, from how the person says it.

    "no change" / "hasn't changed" deny a change: yes. A change said plainly is a no,
    unless it was at least `steady_for_days` ago ("they upped it in March"). A span or a
    start without a change ("same dose for 8 months", "since January") is a yes when long
    enough and a no when not. None leaves the plain yes/no reading; ASK_AGAIN overrules it
    ("yes it changed" says both).
    """
    days = reply.without_frequency.days_since
    steady = question.steady_for_days
    changes = "|".join(re.escape(word) for word in question.changed_by)
    said_changes = list(re.finditer(rf"\b(?:{changes})\b", reply.text.lower())) if changes else []
    if said_changes:
        # Negated in the same clause: "no change", "hasn't been changed", "never adjusted".
        if any(reply.negated_at(m.start()) for m in said_changes):
            return "yes" if said != "unsure" else None
        if days is not None and steady is not None:
            return _side_of(days, steady, at_least="yes", below="no")
        return ASK_AGAIN if said == "yes" else "no"  # "yes it changed": which is it?
    if days is not None and steady is not None and said != "no":
        return _side_of(days, steady, at_least="yes", below="no")
    return None


def _side_of(days: Interval, line: float, at_least: str, below: str) -> str:
    """`below` when every day in the interval is under the line, `at_least` when none is;
    'unsure' when the interval crosses it ("about a month" for a 30-day line)."""
    if days.all_less_than(line):
        return below
    if days.all_at_least(line):
        return at_least
    return "unsure"


# A word this long may carry one typo ("diagnosd") and still restate the question.
TYPO_MIN_LENGTH = 6


def _restates(question: Question, reply: Reading) -> bool:
    """The answer says the question's own words back, plainly: "he was diagnosed last year".

    Only when nothing in it negates or doubts (the yes/no reader found no yes or no at all),
    so "he was never diagnosed" stays a no and "yes but not diagnosed" is asked again.
    """
    if not question.affirmed_by or reply.says_negation:
        return False
    return any(_says_phrase(reply.words, phrase_words(phrase)) for phrase in question.affirmed_by)


def _says_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    for start in range(len(words) - len(phrase) + 1):
        if all(_same_word(said, wanted) for said, wanted in zip(words[start:], phrase)):
            return True
    return False


def _same_word(said: str, wanted: str) -> bool:
    if said == wanted:
        return True
    return len(wanted) >= TYPO_MIN_LENGTH and abs(len(said) - len(wanted)) <= 1 and _one_edit(said, wanted)


def _one_edit(a: str, b: str) -> bool:
    """At most one inserted, dropped or changed letter between a and b."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _read_window(window: Interval, within_days: int, said: Optional[str]) -> Optional[str]:
    """"Not in the last 2 months": none in a span surely as long as ours is a no; "yes, in
    the last week" a yes; a span that may be shorter than ours says nothing (asked again)."""
    if said == "no" and window.all_at_least(within_days):
        return "no"
    if said == "yes" and window.all_at_most(within_days):
        return "yes"
    return None


def _time_since_answer(question: Question, reply: Reading, said: Optional[str]) -> Optional[str]:
    """A yes/no question about the last `within_days` days answered with a time: "the study
    ended 2 weeks ago" is a yes, "3 months ago" a no, "about a month ago" unsure. None when
    the answer gives no such time (or "since", which says it still goes on)."""
    if question.within_days is None or _use().since.search(reply.joined):
        return None
    window = reply.window
    if window is not None:
        return _read_window(window, question.within_days, said) or ASK_AGAIN
    days = reply.days_ago
    if days is None:
        return None
    return _side_of(days, question.within_days, at_least="no", below="yes")


def _last_use(days: Interval, within_days: int) -> AnswerValue:
    """'yes' (used within the window) or 'no' when the days since the last dose decide it;
    across the line ("about a month ago" for 30 days), the days themselves.

    Stored as an interval, the answer is still the person's own, not a doubt of theirs:
    the result says it could be on either side of the study's limit, not "you weren't sure".
    """
    side = _side_of(days, within_days, at_least="no", below="yes")
    return days.to_json() if side == "unsure" else side


def _read_recent_use(question: Question, reply: Reading) -> Optional[str]:
    assert question.within_days is not None
    joined, use = reply.joined, _use()
    # "No longer takes it" says it was stopped, not whether it was taken in the window.
    said = reply.without_ended.yes_no
    planned = _plans(joined)
    if question.includes_plans and planned:
        return "yes"
    if reply.says_never:
        return "no"
    using = _current_use(reply, question.medicine)
    if using is True:
        return "yes"
    window = reply.window
    if window is not None:
        return _read_window(window, question.within_days, said)
    days = reply.days_ago
    if days is not None:
        if use.since.search(joined) and said != "no" and using is not False:
            return None  # "since March": taking it since then, or not since then?
        return _last_use(days, question.within_days)
    if using is False and said is None:
        return None  # "he stopped": when matters, so ask again
    if planned:
        return None  # "will start it next week" does not say whether any was taken lately
    meds = reply.medications
    if said is None and not reply.text.rstrip().endswith("?") and any(m.group == question.medicine for m in meds):
        return "yes"  # "methotrexate for RA": naming this question's medicine as the answer
    if said is None and meds:
        return None  # names another medicine but says nothing we can use
    return said


def _read_sex(reply: Reading) -> Optional[str]:
    words = reply.words
    if len(words) == 1 and words[0] in SINGLE_LETTER_SEX:
        return SINGLE_LETTER_SEX[words[0]]
    joined, use = reply.joined, _use()
    female = bool(use.female.search(joined))
    male = bool(use.male.search(joined))
    if female == male:
        return None
    return "female" if female else "male"


def _read_breathing_device(reply: Reading) -> Optional[str]:
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


def _read_months_since(reply: Reading) -> Optional[AnswerValue]:
    months = reply.months_since
    if months is not None:
        return months.to_json()
    return "unsure" if reply.yes_no == "unsure" else None


def _read_age(reply: Reading) -> Optional[AnswerValue]:
    return None if reply.age is None else reply.age.to_json()


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
    if question.kind == "yes_no":
        return _read_yes_no(question, reply)
    if question.kind == "recent_use":
        return _read_recent_use(question, reply)
    if question.kind == "age":
        return _read_age(reply)
    if question.kind == "months_since":
        return _read_months_since(reply)
    if question.kind == "sex":
        return _read_sex(reply)
    if question.kind == "breathing_device":
        return _read_breathing_device(reply)
    raise ValueError(f"question {question.id}: unknown kind {question.kind!r}")


# ---------------------------------------------------------------------------
# Reading the next question's answer from a reply to this one
# ---------------------------------------------------------------------------
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
    if not rest.text or _names_another_medicine(question, rest):
        return None
    if question.kind == "recent_use":
        return _recent_use_follow_up(question, rest)
    if question.kind == "yes_no" and (question.steady_for_days is not None or question.changed_by):
        return _steady_follow_up(question, rest)
    return None


def _medicine_groups(question: Question) -> set[str]:
    """The medicines a question is about: its `medicine`, or one its label or keywords name."""
    named = find_medications(" ; ".join((question.label, *question.keywords)))
    return {m.group for m in named} | ({question.medicine} if question.medicine else set())


def _names_another_medicine(question: Question, reply: Reading) -> bool:
    ours = _medicine_groups(question)
    return any(m.group not in ours for m in reply.medications)


def _says_a_time(reply: Reading) -> bool:
    """A time ago, a span or a start is said; how often ("twice a day") is not a time."""
    plain = reply.without_frequency
    return plain.days_since is not None or plain.window is not None


def _steady_follow_up(question: Question, reply: Reading) -> Optional[AnswerValue]:
    changes = "|".join(re.escape(word) for word in question.changed_by)
    says_change = bool(changes) and re.search(rf"\b(?:{changes})\b", reply.text.lower()) is not None
    says_steady = any(_says_phrase(reply.words, phrase_words(phrase)) for phrase in question.affirmed_by)
    if says_change or says_steady:
        return read_answer(question, reply)
    use = _use()
    says_use = any(p.search(reply.joined) for p in (use.started, use.restarted, use.current))
    if says_use and _says_a_time(reply):
        value = read_answer(question, reply)
        return value if value == "no" else None
    return None


def _recent_use_follow_up(question: Question, reply: Reading) -> Optional[AnswerValue]:
    if not any(m.group == question.medicine for m in reply.medications):
        return None
    if not (_says_a_time(reply) or reply.says_never):
        return None
    return read_answer(question, reply)


# ---------------------------------------------------------------------------
# Showing answers back ("show my answers")
# ---------------------------------------------------------------------------
VALUE_NAMES = {
    "yes": "Yes",
    "no": "No",
    "unsure": "Not sure",
    "female": "Female",
    "male": "Male",
    "none": "No machine",
    "ventilator": "Ventilator",
    "noninvasive": "BiPAP or CPAP",
    "pacer": "Diaphragm pacer",
}


def _months_ago(months: float) -> str:
    if months < 1:
        return "less than a month ago"
    return f"about {_months_amount(months)} ago"


def _months_amount(months: float) -> str:
    """"18 months", "4 years": months under 3 years as months, then years to the half."""
    if months < 36:
        whole = max(1, round(months))
        return f"{whole} month{'s' if whole != 1 else ''}"
    years = round(months / 12 * 2) / 2
    return f"{years:g} years"


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _months_range(interval: Interval) -> str:
    """An interval of months as said back: "18 to 30 months ago", "more than 12 months ago"."""
    low, high = interval.low or 0.0, interval.high
    if high is None:
        return f"more than {_months_amount(low)} ago" if low >= 1 else "some time ago"
    if low <= 0:
        return f"less than {_months_amount(high)} ago" if high >= 1 else "less than a month ago"
    if high < 1:
        return "less than a month ago"
    if _months_amount(low) == _months_amount(high):
        return _months_ago((low + high) / 2)
    if low < 36 <= high:
        return f"{round(low)} months to {_months_amount(high)} ago"
    return f"{_months_amount(low).split()[0]} to {_months_amount(high)} ago"


def _days(value: float) -> str:
    whole = round(value)
    return f"{whole} day{'s' if whole != 1 else ''}"


def _days_range(interval: Interval) -> str:
    """Days since a last dose as said back: "15 to 46 days ago", "more than 28 days ago"."""
    low, high = interval.low or 0.0, interval.high
    if high is None:
        return f"more than {_days(low)} ago"
    if low <= 0:
        return f"less than {_days(high)} ago" if interval.high_open else f"up to {_days(high)} ago"
    if round(low) == round(high):
        return f"about {_days(low)} ago"
    return f"{round(low)} to {_days(high)} ago"


def _age_range(interval: Interval) -> str:
    low, high = interval.low, interval.high
    if high is None:
        return f"{_number(low or 0)} or older" if not interval.low_open else f"over {_number(low or 0)}"
    if not low:
        return f"under {_number(high)}" if interval.high_open else f"{_number(high)} or younger"
    return f"{_number(low)} to {_number(high)}"


def display_value(question: Optional[Question], value: Any) -> str:
    """An answer as a person reads it back: "Yes", "54", "about 18 months ago", "Not sure".

    `question` None (an answer kept for a question the trial file no longer asks) shows a
    number plainly ("17 to 19", "over 60"), since its unit is no longer known.
    """
    kind = question.kind if question is not None else None
    if value is None:
        return "Not answered yet"
    if isinstance(value, str):
        return VALUE_NAMES.get(value, value)
    interval = Interval.from_json(value)
    if interval is None:
        return str(value)
    if kind == "months_since":
        return _months_ago(interval.low) if interval.is_point else _months_range(interval)  # type: ignore[arg-type]
    if kind == "recent_use":
        return _days_range(interval)
    if interval.is_point:
        return _number(interval.low)  # type: ignore[arg-type]
    return _age_range(interval)
