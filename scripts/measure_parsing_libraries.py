"""Measures well-kept parsing libraries on the answer corpus of the unit tests.

Before writing parsing of our own, each candidate is run on the answers the tests
already pin (tests/unit/test_answer_parsing.py), and counted right or wrong:

- dateparser: relative and partial dates ("since last March", "3 weeks ago", "in 2024"),
  as months / days before TODAY; and whether it reports how precise a date is.
- negspacy (NegEx) and medspaCy's ConText: negation and hedging, on the yes / no answers
  (no, yes, unsure) and on machines named with or without "no" before them.
- text2num and number-parser: numbers in words, swapped in for numbers_to_digits, then
  the age and duration answers read as the tests expect.

The libraries are not dependencies of the project: install them into a folder of their
own, never into the shared venv, and point PYTHONPATH at it:

    .venv/bin/pip install --target /tmp/libs --no-deps dateparser==1.2.0 negspacy==1.0.4 \
        text2num==3.1.0 number-parser==0.3.2 medspacy==1.3.1 PyRuSH PyFastNER pysbd loguru \
        quicksectx medspacy_quickumls pysimstring medspacy_unqlite Unidecode nltk
    PYTHONPATH=/tmp/libs .venv/bin/python scripts/measure_parsing_libraries.py
"""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.understanding import ages, assertion, nlp, numbers, times  # noqa: E402
from bot.understanding.interval import Interval  # noqa: E402
from tests.unit import test_answer_parsing as corpus  # noqa: E402

TODAY = corpus.READING_DAY


def _plain(cases: list) -> list[tuple]:
    """Cases as tuples (pytest.param unwrapped)."""
    return [tuple(c.values) if hasattr(c, "values") else (c if isinstance(c, tuple) else (c,)) for c in cases]


def _score(name: str, cases: list[tuple], read: Callable[..., Any], right: Callable[[Any, Any], bool]) -> None:
    ok = 0
    misses = []
    for text, expected in cases:
        try:
            got = read(text)
        except Exception as error:  # a library that raises reads nothing
            got = f"error {type(error).__name__}"
        if right(got, expected):
            ok += 1
        else:
            misses.append((text, expected, got))
    print(f"  {name}: {ok}/{len(cases)} right")
    for text, expected, got in misses[:6]:
        print(f"      {text!r}: expected {expected!r}, got {got!r}")


def _close(tolerance: float) -> Callable[[Any, Any], bool]:
    """Right when a number is within `tolerance` of the expected one; the corpus now expects
    intervals (low, high): a library's one date or number is counted right when it lies in
    the interval (generous: it cannot say the interval, which is what the rules need)."""
    def right(got: Any, expected: Any) -> bool:
        if expected is None:
            return got is None
        if isinstance(got, Interval):
            return corpus.span(got) == expected
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            return False
        if isinstance(expected, tuple):
            low, high = expected[0], expected[1]
            return (low is None or got >= low - tolerance) and (high is None or got <= high + tolerance)
        return abs(got - expected) <= tolerance
    return right


def measure_dateparser() -> None:
    import dateparser
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": datetime(TODAY.year, TODAY.month, TODAY.day), "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "current"}

    def when(text: str) -> Optional[date]:
        found = dateparser.parse(text, languages=["en"], settings=settings)
        return found.date() if found else None

    def months(text: str) -> Optional[float]:
        d = when(text)
        if d is None or d > TODAY:
            return None
        return round((TODAY.year - d.year) * 12 + (TODAY.month - d.month) + (TODAY.day - d.day) / 30, 2)

    def days(text: str) -> Optional[float]:
        d = when(text)
        return None if d is None or d > TODAY else float((TODAY - d).days)

    months_cases = _plain(corpus.MONTHS_CASES) + _plain(corpus.SEASON_CASES)
    unreadable = [(t, None) for (t,) in _plain(corpus.MONTHS_UNREADABLE)]
    print("dateparser 1.2.0")
    _score("months since (MONTHS_CASES + SEASON_CASES), within 0.5 month", months_cases, months, _close(0.5))
    _score("months since, unreadable stays None", unreadable, months, _close(0))
    _score("days since (DAYS_CASES), within 1 day", _plain(corpus.DAYS_CASES), days, _close(1))
    ours = sum(1 for text, expected in months_cases if corpus.span(times.parse_months_since(text, TODAY)) == expected)
    print(f"  ours on the same months cases (the exact interval): {ours}/{len(months_cases)}")
    parser = DateDataParser(languages=["en"], settings=settings)
    for text in ("in 2024", "march 2025", "since november", "last summer", "born in 2008"):
        data = parser.get_date_data(text)
        print(f"      precision of {text!r}: {data.period if data else None} {data.date_obj if data else None}")


def _yes_no_cases() -> list[tuple]:
    return [c for c in _plain(corpus.YES_NO_CASES) if isinstance(c[0], str) and len(c[0]) < 80]


def _ours_negated(text: str) -> Optional[bool]:
    """Whether our reading negates the first machine named (None when none is named)."""
    devices = nlp.find_breathing_devices(text)
    return assertion.negated_at(text, devices[0].start) if devices else None


def measure_negspacy() -> None:
    import spacy
    from negspacy.negation import Negex  # noqa: F401  (registers the factory)
    from negspacy.termsets import termset

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "DEVICE", "pattern": [{"LOWER": w}]} for w in ("ventilator", "bipap", "trach", "vent")])
    nlp.add_pipe("negex", config={"neg_termset": termset("en_clinical").get_patterns(), "ent_types": ["DEVICE"]})

    def device_negated(text: str) -> Optional[bool]:
        doc = nlp(text)
        return doc.ents[0]._.negex if doc.ents else None

    device_cases = [
        ("no ventilator", True), ("he doesn't use a ventilator", True), ("not on a ventilator", True),
        ("on a ventilator full time", False), ("no ventilator, just bipap", True), ("never had a trach", True),
        ("denies ventilator use", True), ("without a vent", True), ("uses bipap at night", False),
        ("he no longer uses the ventilator", True),
    ]
    print("negspacy 1.0.4 (NegEx, en_clinical termset)")
    _score("first machine named negated or not", device_cases, device_negated, lambda g, e: g == e)
    ours = sum(_ours_negated(t) == e for t, e in device_cases)
    print(f"  ours (bot.understanding.assertion.negated_at) on the same: {ours}/{len(device_cases)}")
    print("  negspacy needs a named thing to negate: the yes/no corpus (\"nope\", \"not sure\") has none.")


def measure_context() -> None:
    import spacy
    from medspacy.context import ConText

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    context = ConText(nlp, rules="default")

    def yes_no(text: str) -> Optional[str]:
        doc = context(nlp(text))
        categories = {m.category for m in doc._.context_graph.modifiers}
        if categories & {"POSSIBLE_EXISTENCE", "HYPOTHETICAL", "UNCERTAIN"}:
            return "unsure"
        if "NEGATED_EXISTENCE" in categories:
            return "no"
        return None

    cases = _yes_no_cases()
    print("medspaCy 1.3.1 ConText (default rules)")
    _score("yes/no corpus: negated -> no, possible -> unsure (yes cases cannot be read)", cases, yes_no,
           lambda g, e: g == e)
    no_unsure = [c for c in cases if c[1] in ("no", "unsure")]
    _score("  only the no / unsure cases", no_unsure, yes_no, lambda g, e: g == e)
    ours = sum(assertion.parse_yes_no(t) == e for t, e in no_unsure)
    print(f"  ours (parse_yes_no) on the no / unsure cases: {ours}/{len(no_unsure)}")


def _numbers_with(convert: Callable[[str], str]) -> None:
    original = numbers.numbers_to_digits
    # Every reader that imported the number reader gets the library's in its place.
    holders = [m for m in (numbers, ages, times) if getattr(m, "numbers_to_digits", None) is original]

    def patched(text: str, lexicon: Any = None) -> str:
        return original(convert(text), lexicon)  # ours still reads fractions and "a couple"

    def alone(text: str, lexicon: Any = None) -> str:
        return " ".join(convert(text.lower()).split())

    for label, replacement in (("alone", alone), ("before ours", patched)):
        for holder in holders:
            holder.numbers_to_digits = replacement
        try:
            ages_cases = [c for c in _plain(corpus.AGE_CASES)]
            _score(f"{label}: ages (AGE_CASES)", ages_cases, lambda t: corpus.span(ages.parse_age(t)),
                   lambda g, e: g == (e, e))
            months = _plain(corpus.MONTHS_CASES)
            _score(f"{label}: months (MONTHS_CASES)", months, lambda t: times.parse_months_since(t, TODAY), _close(0))
            digits = [("fifty four", "54"), ("one hundred and two", "102"), ("a hundred", "100"),
                      ("two and a half years", "2.5 years"), ("a couple of months", "2 months"), ("five four", "5 4")]
            _score(f"{label}: number words", digits, lambda t: numbers.numbers_to_digits(t), lambda g, e: g == e)
        finally:
            for holder in holders:
                holder.numbers_to_digits = original


def measure_numbers() -> None:
    from number_parser import parse as np_parse
    from text_to_num import alpha2digit

    print("text2num 3.1.0 (alpha2digit)")
    _numbers_with(lambda t: alpha2digit(t, "en"))
    print("number-parser 0.3.2 (parse)")
    _numbers_with(lambda t: np_parse(t, language="en"))


if __name__ == "__main__":
    for measure in (measure_dateparser, measure_negspacy, measure_context, measure_numbers):
        try:
            measure()
        except ImportError as error:
            print(f"{measure.__name__}: not installed ({error})")
