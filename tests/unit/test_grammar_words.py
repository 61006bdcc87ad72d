"""The age and time grammars read their small words from data/grammar_words.yml: every phrase
there works as its list says, and a broken file is refused when it loads, naming the place."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from bot.paths import DATA_DIR
from bot.understanding.ages import parse_age
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.interval import Interval
from bot.understanding.times import parse_days_since, window_days

TODAY = date(2026, 12, 5)
WORDS = load_grammar_words()


@pytest.mark.parametrize("phrase", WORDS.ages.before)
def test_every_word_said_before_an_age_makes_the_number_the_age(phrase: str) -> None:
    assert parse_age(f"well {phrase} 54 and still working", TODAY) == Interval.point(54)


@pytest.mark.parametrize("phrase", WORDS.ages.next_birthday)
def test_every_next_birthday_word_means_a_year_younger_now(phrase: str) -> None:
    assert parse_age(f"she {phrase} 70 next month", TODAY) == Interval.point(69)


@pytest.mark.parametrize("phrase", WORDS.ages.after)
def test_every_word_said_after_an_age_makes_the_number_the_age(phrase: str) -> None:
    assert parse_age(f"my husband, 61 {phrase}, was diagnosed in march", TODAY) == Interval.point(61)


@pytest.mark.parametrize("phrase", WORDS.ages.years_as_time + WORDS.ages.measurements)
def test_a_time_or_a_measurement_after_a_number_is_no_age(phrase: str) -> None:
    number = "3 years" if phrase in WORDS.ages.years_as_time else "6"
    assert parse_age(f"he is strong, {number} {phrase} the same", TODAY) is None


@pytest.mark.parametrize("phrase", WORDS.ages.birth)
def test_every_birth_word_reads_the_age_from_the_year(phrase: str) -> None:
    assert parse_age(f"{phrase} 1961", TODAY) == Interval(64, 65)


@pytest.mark.parametrize("named", [(p, d.days) for d in WORDS.times.days_ago for p in d.said])
def test_every_day_said_by_name_is_that_many_days_ago(named: tuple[str, int]) -> None:
    phrase, days = named
    assert parse_days_since(f"last dose was {phrase}", TODAY) == Interval.point(days)


@pytest.mark.parametrize("lead", WORDS.times.window_leads + WORDS.times.window_leads_recent_only)
def test_every_window_word_with_the_last_reads_a_span_up_to_today(lead: str) -> None:
    assert window_days(f"yes {lead} the last 2 weeks", TODAY) == Interval.point(14)


def _copy(tmp_path: Path, change: Callable[[Any], None]) -> Path:
    raw = yaml.safe_load((DATA_DIR / "grammar_words.yml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "grammar_words.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, where", [
    (lambda raw: raw["ages"].pop("birth"), "birth"),
    (lambda raw: raw["times"].update({"futur_after": ["later"]}), "futur_after"),
    (lambda raw: raw["ranges"]["joins"].append(True), "joins"),  # an unquoted yes
    (lambda raw: raw["times"]["days_ago"][0].update({"days": "two"}), "days"),
])
def test_a_broken_grammar_words_file_is_refused(tmp_path: Path, change: Callable, where: str) -> None:
    with pytest.raises(ValueError, match=where):
        load_grammar_words.__wrapped__(_copy(tmp_path, change))
