"""One reading of a reply, made once, that every question interprets.

A reply is tried against the question asked, against earlier answers it may correct,
and against the questions after it ("he started it last week" also says the dose has
not held 30 days). Each of those used to run the parsers on the same text again. Here
each parser runs at most once per text, when first needed, and the result is kept:

- `doc`: the spaCy Doc of bot/understanding/nlp.py's pipeline; its entities (the medicines, conditions
  and breathing devices named) carry `span._.group` (the lexicon group) and
  `span._.negated` (said with "no"/"not" before it, in the same clause). A negation and
  hedge component such as medspaCy's ConText would set those marks instead;
- `yes_no`, `hedged`, `says_negation`, `says_never`: the reply's assertion;
- `digits`: the text with numbers in words as digits ("fifty four" -> "54");
- `elapsed` (`days_since`, `months_since`), `window`, `age`: the times said, as Intervals;
- `descriptions`: statuses described instead of a yes or no ("on a work visa").

A reader that needs another text (the reply without "no longer", without "twice a day",
its last "... ago" clause, the clauses after a "but", the words after a bare "yes,",
or the reply with its correction words removed) gets it with `of(text)`, or as one of the
named properties below: a reading of that text, made once for the whole message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Optional

from spacy.tokens import Doc, Span

from bot.understanding import ages, assertion, dictation, nlp, numbers, times
from bot.understanding.descriptions import Described, find_descriptions
from bot.understanding.assertion import YesNo
from bot.understanding.times import Elapsed
from bot.understanding.interval import Interval
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.message_text import bounded
from bot.understanding.nlp import Mention
from bot.understanding.phrase_rules import load_phrase_rules
from bot.understanding.plain_text import WORD_RE, folded, phrase_pattern, plain_words

# The marks a name carries in the Doc (spaCy's extension attributes).
for _mark, _default in (("group", None), ("negated", False)):
    if not Span.has_extension(_mark):
        Span.set_extension(_mark, default=_default)

# A first clause this short that is only a yes or a no answers the question asked, not the next.
BARE_CLAUSE_WORDS = 4
FIRST_CLAUSE_RE = re.compile(r"^\s*(?P<clause>[^,;.!?:]*)(?:[,;.!?:]+|\s+-+\s+)(?P<rest>.*)$", re.S)



@lru_cache(maxsize=1)
def _clause_breaks() -> re.Pattern[str]:
    """"X but Y", "X, Y": Y may take X back. Punctuation, and the `clause_words` of
    data/phrase_rules/steering.yml."""
    return re.compile(r"[,;.]|" + load_phrase_rules()["clause_words"].pattern.pattern, re.I)


@lru_cache(maxsize=1)
def _ago_clause() -> re.Pattern[str]:
    """"in the last 2 months", "for 6 weeks": a span of time, not a time ago; the clause with "ago" is."""
    return re.compile(r"[^,.;]*" + load_phrase_rules()["ago"].pattern.pattern, re.I)


@lru_cache(maxsize=4)
def _ended(lexicon: Lexicon) -> re.Pattern[str]:
    return phrase_pattern(lexicon.medicine_use["ended"])


@dataclass
class _Message:
    """What the readings of one message share, so no text is read twice."""

    readings: dict[str, "Reading"] = field(default_factory=dict)
    # Two texts of a message often say the same time ("Rilutek" and "rilutek 2 months ago"):
    # by the text the time readers read, and the hedge mark that widens a duration.
    elapsed: dict[tuple[str, bool], Optional[Elapsed]] = field(default_factory=dict)
    windows: dict[str, Optional[Interval]] = field(default_factory=dict)


@dataclass(eq=False)
class Reading:
    """Everything the parsers can say about one text, each computed at most once."""

    text: str
    today: date
    lexicon: Lexicon
    message: _Message = field(default_factory=_Message, repr=False)
    _negated: dict[int, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Every parser below reads this text: capped and tidied first (bot.understanding.message_text).
        self.text = bounded(self.text)

    def of(self, text: str) -> "Reading":
        """The reading of another text of the same message, made once."""
        readings = self.message.readings
        if text not in readings:
            readings[text] = Reading(text, self.today, self.lexicon, self.message)
        return readings[text]

    # --- words ----------------------------------------------------------------
    @cached_property
    def words(self) -> list[str]:
        return plain_words(self.text)

    @cached_property
    def joined(self) -> str:
        """The words joined by single spaces: what vocabulary phrases are matched against."""
        return " ".join(self.words)

    @property
    def plain(self) -> "Reading":
        """The reading of `joined`, for marks at places found in it (a negated "started")."""
        return self.of(self.joined)

    # --- assertion --------------------------------------------------------------
    @cached_property
    def yes_no(self) -> Optional[YesNo]:
        return assertion.parse_yes_no(self.text)

    @cached_property
    def hedged(self) -> bool:
        return assertion.is_hedged(self.text)

    @cached_property
    def says_negation(self) -> bool:
        return assertion.says_negation(self.text)

    @cached_property
    def says_never(self) -> bool:
        return assertion.mentions_never(self.text)

    def negated_at(self, start: int) -> bool:
        """Whether a negator stands just before `start` in this text, in the same clause."""
        if start not in self._negated:
            self._negated[start] = assertion.negated_at(self.text, start)
        return self._negated[start]

    # --- names --------------------------------------------------------------------
    @cached_property
    def _names(self) -> Doc:
        return nlp.read_names(self.text, self.lexicon)

    @cached_property
    def mentions(self) -> tuple[Mention, ...]:
        """The names said, in order; their spans in `doc` are marked as they are found."""
        if not self.text.strip():
            return ()
        found = tuple(nlp.mentions_in(self._names, self.text, self.lexicon))
        for mention, span in zip(found, self._names.ents):
            span._.group = mention.group
            span._.negated = self.negated_at(mention.start)
        return found

    @property
    def doc(self) -> Doc:
        """The spaCy Doc, its names marked with their group and whether they are negated."""
        self.mentions
        return self._names

    def _labelled(self, label: str) -> list[Mention]:
        return [m for m in self.mentions if m.label == label]

    @property
    def medications(self) -> list[Mention]:
        return self._labelled("medication")

    @property
    def conditions(self) -> list[Mention]:
        return self._labelled("condition")

    @property
    def breathing_devices(self) -> list[Mention]:
        return self._labelled("breathing_device")

    def negated(self, mention: Mention) -> bool:
        """The mark the name's span carries: said with "no"/"not" just before it."""
        return self.negated_at(mention.start)

    # --- statuses described ----------------------------------------------------------------
    @cached_property
    def descriptions(self) -> tuple[Described, ...]:
        """The statuses the reply describes ("on a work visa", "born in Ohio"), in order, each
        marked negated when a negator stands just before it in the same clause ("not born here")."""
        starts = self._word_starts
        word_at = {offset: i for i, offset in enumerate(self._joined_offsets)}
        found = []
        for kind, start, end in find_descriptions(self.joined, self.lexicon):
            first = word_at[start]
            # Negation is read in the text as typed, where a comma still ends a clause ("no,
            # I'm on a student visa": the visa is not denied), at the phrase's second word, so
            # one that opens with a clause break ("just possible") is read past it.
            at = first + 1 if first + 1 < len(starts) and self._joined_offsets[first + 1] < end else first
            found.append(Described(kind, start, self.negated_at(starts[at])))
        return tuple(found)

    @cached_property
    def _word_starts(self) -> list[int]:
        """Where each of `words` starts in `text`."""
        lowered = folded(self.text)
        kept = [i for i, char in enumerate(lowered) if char != "'"]  # as plain_words drops them
        stripped = "".join(lowered[i] for i in kept)
        return [kept[m.start()] for m in WORD_RE.finditer(stripped)]

    @cached_property
    def _joined_offsets(self) -> list[int]:
        """Where each of `words` starts in `joined`."""
        offsets, at = [], 0
        for word in self.words:
            offsets.append(at)
            at += len(word) + 1
        return offsets

    # --- numbers and times --------------------------------------------------------------
    @cached_property
    def digits(self) -> str:
        return numbers.numbers_to_digits(self.text, self.lexicon)

    @cached_property
    def _time_text(self) -> str:
        return times.time_text(self.digits, self.lexicon)

    @cached_property
    def elapsed(self) -> Optional[Elapsed]:
        if not self.text.strip():
            return None
        key, known = (self._time_text, self.hedged), self.message.elapsed
        if key not in known:
            known[key] = times.elapsed_in(self._time_text, self.hedged, self.today, self.lexicon)
        return known[key]

    @property
    def days_since(self) -> Optional[Interval]:
        return None if self.elapsed is None else self.elapsed.days

    @property
    def months_since(self) -> Optional[Interval]:
        return None if self.elapsed is None else self.elapsed.months

    @cached_property
    def window(self) -> Optional[Interval]:
        """Days in a span up to today ("not in the last 2 months"); None if none is said."""
        if not self.text:
            return None
        known = self.message.windows
        if self._time_text not in known:
            known[self._time_text] = times.window_in(self._time_text, self.today, self.lexicon)
        return known[self._time_text]

    @cached_property
    def age(self) -> Optional[Interval]:
        if not self.text:
            return None
        return ages.age_in(self.text, self.digits, self.hedged, self.today, self.lexicon)

    # --- the other texts readers need ---------------------------------------------------
    @property
    def days_ago(self) -> Optional[Interval]:
        """Days since the last use, reading only the last "... ago" clause when several times are said."""
        if self.days_since is not None:
            return self.days_since
        clauses = _ago_clause().findall(self.text.lower())
        return self.of(clauses[-1]).days_since if clauses else None

    @property
    def without_frequency(self) -> "Reading":
        """The reply without how often ("twice a day", data/phrase_rules/steering.yml), which is not how long."""
        return self.of(load_phrase_rules()["how_often"].removed(self.joined))

    @property
    def without_ended(self) -> "Reading":
        """The reply without "no longer" (data/lexicon.yml `medicine_use.ended`): a stop, not a "no"."""
        return self.of(_ended(self.lexicon).sub(" ", self.joined))

    @property
    def clauses(self) -> list["Reading"]:
        """"X but Y", "X, Y": each clause, since a later one may take the first back."""
        return [self.of(clause) for clause in _clause_breaks().split(self.text)]

    @property
    def beyond_yes_no(self) -> "Reading":
        """The reply without a first clause that is only a yes or a no ("yes, same dose" -> "same dose")."""
        match = FIRST_CLAUSE_RE.match(self.text)
        if match is None:
            return self.of(self.text.strip())
        first = self.of(match["clause"])
        bare = (
            first.yes_no in ("yes", "no")
            and len(first.words) <= BARE_CLAUSE_WORDS
            and not first.medications
            and not re.search(r"\d", first.text)
        )
        return self.of(match["rest"].strip() if bare else self.text.strip())


def read_reply(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Reading:
    """The reading of one reply, as of `today` (the person's own date): made once per message.

    A dictated reply ("sixty two period") is read with its spoken punctuation as marks
    (bot.understanding.dictation.from_dictation); numbers said as words are read by `digits`.
    """
    lexicon = lexicon or load_lexicon()
    reading = Reading(dictation.from_dictation(text or "", lexicon), today, lexicon)
    reading.message.readings[reading.text] = reading
    reading.message.readings[text or ""] = reading
    return reading
