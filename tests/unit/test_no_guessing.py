"""The pre-screen reads answers like a careful study coordinator and never guesses.

Each case is an answer as a person types it, read by the question it answers, and the
status the criterion then gets: certain on one side of the rule's line, certain on the
other, or unknown ("the study team will check") when the answer could be either.
Every numeric rule is pinned on both sides: age 18, weakness under 24 months, riluzole
30 days, edaravone 30 days, immunosuppressants 28 days, another drug study 30 days.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.prescreen.today import person_today
from bot.trial.model import Trial
from tests.prescreen_driver import READING_DAY, read_to, status_after as status


# --- age: 18 or older -----------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("17", "fail"),
    ("18", "pass"),
    ("I'm 19", "pass"),
    ("about 18", "unknown"),  # 17 to 19
    ("maybe 18", "unknown"),
    ("about 25", "pass"),  # an estimate wholly on one side is certain
    ("under 18", "fail"),
    ("over 18", "pass"),
    ("18 or older", "pass"),
    ("almost 18", "fail"),  # 17 until the birthday
    ("turning 18 next month", "fail"),
    ("between 17 and 19", "unknown"),
    ("in his 60s", "pass"),
    ("born in 2007", "unknown"),  # 17 or 18 on 15 June 2025
    ("born in 2008", "fail"),  # 16 or 17
    ("born in 2006", "pass"),  # 18 or 19
    ("born in march 2007", "pass"),  # the birthday has been: 18
    ("born in december 2007", "fail"),  # still 17
])
def test_age_18(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "age", text, "age_18_plus") == expected


def test_born_in_2008_read_in_december_2026_is_17_or_18(trial: Trial) -> None:
    assert status(trial, "age", "born in 2008", "age_18_plus", today=date(2026, 12, 2)) == "unknown"
    assert status(trial, "age", "born in 2008", "age_18_plus", today=date(2027, 1, 2)) == "pass"


# --- weakness: started less than 24 months ago ------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("less than 2 years ago", "pass"),
    ("under two years", "pass"),
    ("23 months ago", "pass"),
    ("25 months ago", "fail"),
    ("24 months ago", "unknown"),
    ("2 years ago", "unknown"),  # 18 to 30 months
    ("about 2 years", "unknown"),
    ("around 2 years ago", "unknown"),
    ("almost 2 years", "unknown"),  # "almost" said loosely may mean 2 years
    ("nearly two years ago", "unknown"),
    ("more than 2 years ago", "fail"),
    ("over 2 years", "fail"),
    ("2+ years", "fail"),
    ("2 years or more", "fail"),
    ("3 years ago", "fail"),
    ("about a year ago", "pass"),
    ("over a year ago", "unknown"),  # a year, or five?
    ("just over a year ago", "pass"),
    ("a year or two ago", "unknown"),
    ("18 months to 2 years", "unknown"),
    ("1 year to 18 months", "pass"),
    ("between 2 and 3 years", "fail"),
    ("a few months ago", "pass"),
    ("a couple of years ago", "unknown"),
    ("I think 20 months ago", "pass"),  # 19 to 21 even with the doubt
    ("maybe 23 months", "unknown"),  # a doubted 23 months may be 24
    # Dates only as precise as a month, a season or a year (today: 15 June 2025).
    ("July 2023", "pass"),  # 22.5 to 23.5 months
    ("June 2023", "unknown"),  # 1 June 2023 is past the line, 30 June is not
    ("May 2023", "fail"),
    ("in 2024", "pass"),
    ("in 2023", "unknown"),
    ("in 2022", "fail"),
    ("fall 2023", "pass"),
    ("summer 2023", "unknown"),
    ("spring 2023", "fail"),
    ("since spring", "pass"),
    ("early 2023", "fail"),
    ("late 2023", "pass"),
    ("since last March", "pass"),  # this March or last year's: both under 2 years
    ("before 2024", "unknown"),
    ("not sure", "unknown"),
])
def test_weakness_24_months(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "weakness_started", text, "weakness_under_2_years") == expected


# --- riluzole: none in the last 30 days (or a steady dose) -------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("29 days ago", "fail"),
    ("31 days ago", "pass"),
    ("30 days ago", "unknown"),
    ("2 weeks ago", "fail"),
    ("6 weeks ago", "pass"),
    ("about 5 weeks ago", "pass"),
    ("a month ago", "unknown"),  # 15 to 46 days
    ("almost a month ago", "unknown"),
    ("over a month ago", "pass"),
    ("just over a month ago", "pass"),
    ("less than a month ago", "unknown"),  # a month may be 31 days: 30 itself is in it
    ("stopped it a couple of weeks ago", "fail"),
    ("not in the last 2 months", "pass"),
    ("never", "pass"),
    ("I don't think so", "unknown"),
    ("not sure", "unknown"),
])
def test_riluzole_30_days(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "riluzole_recent", text, "riluzole_stable", riluzole_taking="no",
                  riluzole_stable=None) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("same dose for 6 weeks", "pass"),
    ("same dose for 3 weeks", "fail"),
    ("same dose for about a month", "unknown"),
    ("they changed it 2 weeks ago", "fail"),
    ("they changed it over 2 months ago", "pass"),
    ("started it last week", "fail"),
    ("started it 3 months ago", "pass"),
    ("they upped it 2 weeks ago", "fail"),
    ("changed it about a month ago", "unknown"),
    ("same dose for ages", "pass"),
    ("I think the dose is the same", "unknown"),
])
def test_a_steady_riluzole_dose_for_30_days(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "riluzole_stable", text, "riluzole_stable") == expected


def test_stable_since_spring_is_steady_in_december_and_not_yet_known_in_april(trial: Trial) -> None:
    assert status(trial, "riluzole_stable", "stable since spring", "riluzole_stable",
                  today=date(2025, 12, 2)) == "pass"
    assert status(trial, "riluzole_stable", "stable since spring", "riluzole_stable",
                  today=date(2025, 4, 10)) == "unknown"  # since 1 March to 10 April: 0 to 40 days


def test_stopped_in_november_read_on_1_december_may_be_under_30_days(trial: Trial) -> None:
    context = {"riluzole_taking": "no", "riluzole_stable": None}
    assert status(trial, "riluzole_recent", "stopped it in November", "riluzole_stable",
                  today=date(2025, 12, 1), **context) == "unknown"  # 1 to 30 days
    assert status(trial, "riluzole_recent", "stopped it in November", "riluzole_stable",
                  today=date(2025, 12, 31), **context) == "pass"  # 31 to 60 days
    assert status(trial, "riluzole_recent", "stopped it in October", "riluzole_stable",
                  today=date(2025, 12, 1), **context) == "pass"


# "Around Christmas" is not Christmas Day: a day said loosely widens by the lexicon's days.
@pytest.mark.parametrize(("text", "today", "expected"), [
    ("stopped it at Christmas", date(2026, 1, 20), "fail"),  # 26 days
    ("stopped it around Christmas", date(2026, 1, 20), "unknown"),  # 12 to 40 days
    ("stopped it around Christmas", date(2026, 2, 20), "pass"),  # 43 to 71 days
    ("stopped it around Christmas", date(2026, 1, 5), "fail"),  # up to 25 days
    ("stopped it at Thanksgiving", date(2025, 12, 20), "fail"),  # 22 to 28 days
    ("stopped it about Thanksgiving", date(2025, 12, 20), "unknown"),  # 8 to 42 days
    ("stopped it around Easter", date(2025, 6, 30), "pass"),  # Easter falls 22 March to 25 April
    ("stopped it around Easter", date(2025, 5, 10), "unknown"),
    ("stopped it on May 3rd", READING_DAY, "pass"),  # 43 days
    ("stopped it around May 3rd", READING_DAY, "unknown"),  # 29 to 57 days
])
def test_a_day_said_loosely_is_wider_than_the_day(trial: Trial, text: str, today: date, expected: str) -> None:
    context = {"riluzole_taking": "no", "riluzole_stable": None}
    assert status(trial, "riluzole_recent", text, "riluzole_stable", today=today, **context) == expected


def test_how_wide_around_is_is_data() -> None:
    from bot.understanding.times import parse_days_since

    narrow = _lexicon_with(lambda raw: raw["approximate_dates"].update({"days": 3}))
    today = date(2026, 1, 20)
    plain = parse_days_since("around Christmas", today)
    assert plain is not None and not plain.all_less_than(30)
    interval = parse_days_since("around Christmas", today, narrow)  # 23 to 29 days
    assert interval is not None and interval.all_less_than(30)


# --- edaravone (Radicava): none in the last 30 days ------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("stopped Radicava 29 days ago", "fail"),
    ("stopped Radicava 31 days ago", "pass"),
    ("stopped it 30 days ago", "unknown"),
    ("less than a month ago", "unknown"),  # never read as exactly 30 days
    ("less than 3 weeks ago", "fail"),
    ("over a month ago", "pass"),
    ("more than 6 weeks ago", "pass"),
    ("a week or two ago", "fail"),
    ("3 to 6 weeks ago", "unknown"),
    ("he's planning to start Radicava", "fail"),
    ("probably not", "unknown"),
    # Weeks against the 30-day line. A half is said in days (4.5 weeks: 31 to 32 days), so
    # it is read exactly; a whole count is to the nearest week, "about" too.
    ("his last Radicava infusion was four and a half weeks ago", "pass"),
    ("last infusion 4 1/2 weeks ago", "pass"),
    ("three and a half weeks ago", "fail"),  # 24 to 25 days
    ("about 4 weeks ago", "unknown"),  # 24.5 to 31.5 days
    ("4 weeks ago", "unknown"),
    ("five weeks ago", "pass"),
    ("a month and a half ago", "pass"),  # 42 to 49 days
    ("weeks ago", "unknown"),  # 2 weeks or more: either side
])
def test_edaravone_30_days(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "edaravone_recent", text, "edaravone_30_days") == expected


# --- immunosuppressants: none in the last 4 weeks (28 days) -----------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("stopped 27 days ago", "fail"),
    ("stopped 29 days ago", "pass"),
    ("stopped 28 days ago", "unknown"),
    ("3 weeks ago", "fail"),
    ("4 weeks ago", "unknown"),  # 3.5 to 4.5 weeks
    ("5 weeks ago", "pass"),
    ("less than 4 weeks ago", "fail"),
    ("over 4 weeks ago", "pass"),
    ("more than a month ago", "pass"),
    ("haven't taken any in 6 weeks", "pass"),
    ("on prednisone for my RA", "fail"),
])
def test_immunosuppressants_4_weeks(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "immunosuppressant_recent", text, "immunosuppressant_4_weeks") == expected


# --- another drug study: not in the last 30 days ----------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("he was in a trial that ended 2 weeks ago", "fail"),
    ("the study ended 29 days ago", "fail"),
    ("the study ended 31 days ago", "pass"),
    ("the study ended 30 days ago", "unknown"),
    ("finished a drug study about a month ago", "unknown"),
    ("my last study visit was over 2 months ago", "pass"),
    ("not in the last 2 months", "pass"),
    ("he is in another trial right now", "fail"),
    ("no", "pass"),
])
def test_other_drug_study_30_days(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "other_drug_trial", text, "other_drug_trial_30_days") == expected


# --- hedges, pending and inconclusive states are unsure, never yes or no ------------------------
@pytest.mark.parametrize(("question_id", "text", "criterion_id"), [
    ("diagnosed", "I think so", "als_diagnosis"),
    ("diagnosed", "probably", "als_diagnosis"),
    ("diagnosed", "they think so but it's not confirmed", "als_diagnosis"),
    ("other_causes_ruled_out", "the EMG was inconclusive", "pure_motor_syndrome"),
    ("other_causes_ruled_out", "still waiting on the nerve test results", "pure_motor_syndrome"),
    ("other_causes_ruled_out", "results were unclear", "pure_motor_syndrome"),
    ("us_resident", "green card pending", "us_resident"),
    ("us_resident", "we applied for a green card", "us_resident"),
    ("us_resident", "citizenship application in process", "us_resident"),
    ("autoimmune", "still waiting on tests for lupus", "autoimmune_disease"),
    ("autoimmune", "I don't think so", "autoimmune_disease"),
    ("autoimmune", "maybe, they're testing for RA", "autoimmune_disease"),
    ("autoimmune", "no, but they're checking for lupus", "autoimmune_disease"),
    ("can_travel", "maybe", "able_to_travel"),
    ("can_travel", "not sure", "able_to_travel"),
    ("other_drug_trial", "I don't think so", "other_drug_trial_30_days"),
    ("edaravone_recent", "I don't think so", "edaravone_30_days"),
    ("immunosuppressant_recent", "probably not", "immunosuppressant_4_weeks"),
    ("breathing_support", "not sure", "ventilator"),
])
def test_a_hedge_or_a_pending_state_is_checked_by_the_study_team(
    trial: Trial, question_id: str, text: str, criterion_id: str
) -> None:
    assert status(trial, question_id, text, criterion_id) == "unknown"


# --- a span up to today is on the calendar ------------------------------------------------------
@pytest.mark.parametrize(("today", "expected"), [
    (date(2025, 6, 15), "pass"),  # 15 May to 15 June: 31 days, so none in the last 30
    (date(2025, 3, 15), None),  # 15 February to 15 March: 28 days; the 29th and 30th unsaid: asked again
])
def test_none_in_the_last_month_against_30_days(trial: Trial, today: date, expected: Any) -> None:
    if expected is None:
        assert read_to(trial, "edaravone_recent", "no, not in the last month", today) is None
        return
    assert status(trial, "edaravone_recent", "no, not in the last month", "edaravone_30_days", today=today) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("in the last year", "pass"),  # up to 12 months ago
    ("within the past 6 months", "pass"),
    ("in the last 3 years", "unknown"),
])
def test_weakness_in_a_span_up_to_today(trial: Trial, text: str, expected: str) -> None:
    assert status(trial, "weakness_started", text, "weakness_under_2_years") == expected


# --- a no with a plain yes beside it is asked again -------------------------------------------
@pytest.mark.parametrize(("question_id", "text"), [
    ("can_travel", "can't travel much, he's in a wheelchair but my son can drive him"),
])
def test_a_no_with_a_plain_yes_beside_it_is_asked_again(trial: Trial, question_id: str, text: str) -> None:
    assert read_to(trial, question_id, text) is None


# --- a negation is read where it stands -----------------------------------------------------------
@pytest.mark.parametrize(("question_id", "text", "criterion_id", "expected"), [
    ("breathing_support", "not on a ventilator", "ventilator", "pass"),
    ("breathing_support", "no ventilator, just bipap at night", "ventilator", "unknown"),
    ("breathing_support", "he no longer uses the ventilator", "ventilator", "pass"),
    ("breathing_support", "never had a trach", "ventilator", "pass"),
    ("breathing_support", "on a ventilator full time", "ventilator", "fail"),
    ("riluzole_taking", "no longer takes riluzole", "riluzole_stable", None),
    ("autoimmune", "no autoimmune disease", "autoimmune_disease", "pass"),
    ("autoimmune", "she has lupus", "autoimmune_disease", "fail"),
    ("can_travel", "he can't travel", "able_to_travel", "fail"),
])
def test_a_negation_is_read_where_it_stands(
    trial: Trial, question_id: str, text: str, criterion_id: str, expected: Any
) -> None:
    if expected is None:  # "no longer takes it": not taking it now, and when it stopped is asked next
        assert read_to(trial, question_id, text) == "no"
        assert read_to(trial, "riluzole_recent", text) is None
        return
    assert status(trial, question_id, text, criterion_id) == expected


# --- "today" is the person's date ---------------------------------------------------------------
def test_today_is_the_sites_date_when_the_channel_sends_no_zone(trial: Trial) -> None:
    assert trial.timezone == "America/Chicago"
    late_evening_in_chicago = datetime(2025, 12, 1, 3, 0, tzinfo=timezone.utc)  # 30 Nov, 9 pm there
    assert person_today(trial, None, late_evening_in_chicago) == date(2025, 11, 30)


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Tokyo", date(2025, 12, 1)),
    ("Pacific/Honolulu", date(2025, 11, 30)),
    ("America/Chicago", date(2025, 11, 30)),
    ("Mars/Olympus_Mons", date(2025, 11, 30)),  # not a zone: the site's
    ("../../etc/passwd", date(2025, 11, 30)),
    ("", date(2025, 11, 30)),
    (42, date(2025, 11, 30)),
])
def test_a_zone_the_channel_sends_gives_the_persons_date(trial: Trial, zone: Any, expected: date) -> None:
    now = datetime(2025, 12, 1, 3, 0, tzinfo=timezone.utc)
    assert person_today(trial, zone, now) == expected


def test_the_same_answer_on_either_side_of_midnight(trial: Trial) -> None:
    """"Stopped it November 1st": 29 days in Chicago on the evening of 30 November, 30 in Tokyo."""
    now = datetime(2025, 12, 1, 3, 0, tzinfo=timezone.utc)
    context = {"riluzole_taking": "no", "riluzole_stable": None}
    chicago = person_today(trial, None, now)
    tokyo = person_today(trial, "Asia/Tokyo", now)
    assert status(trial, "riluzole_recent", "stopped it November 1st", "riluzole_stable",
                  today=chicago, **context) == "fail"
    assert status(trial, "riluzole_recent", "stopped it November 1st", "riluzole_stable",
                  today=tokyo, **context) == "pass"


# --- the vocabulary is data -------------------------------------------------------------------
def _lexicon_with(change: Any) -> Any:
    import yaml

    from bot.understanding.lexicon import DEFAULT_LEXICON_PATH, parse_lexicon

    raw = yaml.safe_load(DEFAULT_LEXICON_PATH.read_text(encoding="utf-8"))
    change(raw)
    return parse_lexicon(raw)


def test_a_hedge_added_to_the_phrase_rules_is_read_as_unsure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.paths import DATA_DIR
    from bot.understanding import assertion, phrase_rules
    from tests.data_copies import changed_folder

    assert assertion.parse_yes_no("on the fence") is None
    folder = changed_folder(
        tmp_path, DATA_DIR / "phrase_rules", "assertion.yml",
        lambda raw: next(r for r in raw["context_rules"] if r["category"] == "hedge")["phrases"].append("on the fence"),
    )
    edited = phrase_rules.load_phrase_rules.__wrapped__(folder)
    monkeypatch.setattr(phrase_rules, "load_phrase_rules", lambda path=folder: edited)
    monkeypatch.setattr(phrase_rules, "_SEARCHES", {})
    monkeypatch.setattr(phrase_rules, "_ANY", {})
    assert assertion.parse_yes_no("on the fence") == "unsure"


def test_a_qualifier_added_to_the_lexicon_becomes_a_bound() -> None:
    from bot.understanding.times import parse_months_since

    lexicon = _lexicon_with(lambda raw: raw["qualifiers"]["before"]["below"].append("not a full"))
    plain = parse_months_since("not a full 2 years", READING_DAY)
    assert plain is not None and not plain.all_less_than(24)  # read as "2 years": 18 to 30 months
    interval = parse_months_since("not a full 2 years", READING_DAY, lexicon)
    assert interval is not None and interval.all_less_than(24)


@pytest.mark.parametrize("change", [
    lambda raw: raw["qualifiers"]["before"].update({"sort_of": ["ish"]}),
    lambda raw: raw["seasons"].update({"monsoon": [7, 13]}),
    lambda raw: raw["holidays"].update({"founders day": [2, 30, 1]}),
    lambda raw: raw["vague_numbers"].update({"umpteen": [9, 3]}),
    lambda raw: raw.update(negation={"negators": ["no"]}),  # a section the lexicon no longer has
    lambda raw: raw["approximate_dates"].update({"days": "two weeks"}),
])
def test_a_malformed_vocabulary_is_refused_when_loaded(change: Any) -> None:
    with pytest.raises(ValueError):
        _lexicon_with(change)


# --- a condition that is not the question's -------------------------------------------------
# Denying diabetes, asthma or high blood pressure says nothing of an autoimmune disease: the
# question is asked again, not answered "no". A plain no beside another condition is a no, and
# type 1 diabetes is an autoimmune disease.
@pytest.mark.parametrize("text, expected", [
    ("he doesn't have diabetes", None),
    ("no diabetes", None),
    ("she isn't asthmatic", None),
    ("no high blood pressure", None),
    ("no, just high blood pressure", "no"),
    ("nope, only his cholesterol is high", "no"),
    ("she has type 1 diabetes", "yes"),
    ("he doesn't have lupus", "no"),
])
def test_denying_another_condition_is_no_answer_about_an_autoimmune_disease(
    trial: Trial, text: str, expected: Any
) -> None:
    assert read_to(trial, "autoimmune", text) == expected
