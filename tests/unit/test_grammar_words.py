"""The age, time and date grammars read their small words from data/grammar_words.yml: every phrase
there works as its list says, and a broken file is refused when it loads, naming the place."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable

import pytest

from adapters.channel_text import choice_for_reply
from bot.paths import DATA_DIR
from bot.understanding.descriptions import find_descriptions
from bot.understanding.lexicon import load_lexicon
from bot.understanding.numbers import numbers_to_digits
from bot.understanding.plain_text import plain
from bot.understanding.ages import parse_age
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.interval import Interval
from bot.understanding.times import parse_days_since, parse_months_since, window_days
from tests.data_copies import changed_copy

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


@pytest.mark.parametrize("cue", WORDS.dates.month_cues)
def test_every_month_cue_makes_may_a_month(cue: str) -> None:
    assert parse_months_since(f"{cue} may", TODAY) is not None
    assert parse_months_since("he may", TODAY) is None  # the verb


@pytest.mark.parametrize("word", WORDS.dates.which.last)
def test_every_last_word_names_the_latest_one_that_is_over(word: str) -> None:
    # On 5 December 2026 "last March" may be March 2026 or March 2025: only the person knows.
    said = parse_months_since(f"{word} march", TODAY)
    assert said is not None and said.low < 9 and said.high > 20


@pytest.mark.parametrize("cue", WORDS.dates.season_leads + WORDS.dates.season_cues.plain)
def test_every_season_cue_makes_fall_a_season(cue: str) -> None:
    assert parse_months_since(f"{cue} fall", TODAY) is not None
    assert parse_months_since("after his fall", TODAY) is None  # a fall, not a season


@pytest.mark.parametrize("named", [(p, k) for k, ps in WORDS.dates.periods.dict().items() for p in ps])
def test_every_period_said_by_name_is_that_period(named: tuple[str, str]) -> None:
    phrase, kind = named
    year_ago = {"year_before_last": 2, "last_year": 1, "this_year": 0}.get(kind)
    said = parse_months_since(f"it started {phrase}", TODAY)
    assert said is not None
    if year_ago is not None:  # a whole calendar year: from its last day to its first
        assert round(said.high) - round(said.low) in (11, 12)
        assert said.low <= 12 * year_ago + 1 and said.high >= 12 * year_ago


@pytest.mark.parametrize("join", WORDS.dates.range_joins)
def test_every_range_join_makes_two_months_one_span(join: str) -> None:
    said = parse_months_since(f"june {join} august", TODAY)
    assert said is not None and said.low < 4 and said.high > 5


BUTTONS = [{"title": f"Choice {n}", "payload": f"/pick{n}"} for n in range(1, 13)]


@pytest.mark.parametrize("named", [*WORDS.choices.ordinals.items(), *((w, None) for w in WORDS.choices.numbers)])
def test_every_choice_word_picks_its_choice_on_a_channel_without_buttons(named: tuple[str, Any]) -> None:
    word, number = named
    number = number if number is not None else int(load_lexicon().numbers[word])
    expected = BUTTONS[number - 1 if number > 0 else -1]["payload"]
    assert choice_for_reply(f"the {word} one please", BUTTONS) == expected
    assert choice_for_reply(f"{word} apples", BUTTONS) is None  # more than a pick


@pytest.mark.parametrize("before_in", WORDS.places.before_in)
def test_the_words_around_in_still_say_where_someone_was_born(before_in: str) -> None:
    said = plain(f"she was born {before_in} in the state of ohio")
    assert "us_born" in {kind for kind, _, _ in find_descriptions(said, load_lexicon())}


@pytest.mark.parametrize("join", WORDS.numbers.joins)
def test_a_number_join_makes_number_words_one_number(join: str) -> None:
    assert numbers_to_digits(f"one hundred {join} five days") == "105 days"
    assert numbers_to_digits(f"two {join} a half years") == "2.5 years"


@pytest.mark.parametrize("change, where", [
    (lambda raw: raw["ages"].pop("birth"), "birth"),
    (lambda raw: raw["times"].update({"futur_after": ["later"]}), "futur_after"),
    (lambda raw: raw["ranges"]["joins"].append(True), "joins"),  # an unquoted yes
    (lambda raw: raw["times"]["days_ago"][0].update({"days": "two"}), "days"),
])
def test_a_broken_grammar_words_file_is_refused(tmp_path: Path, change: Callable, where: str) -> None:
    with pytest.raises(ValueError, match=where):
        load_grammar_words.__wrapped__(changed_copy(tmp_path, DATA_DIR / "grammar_words.yml", change))
