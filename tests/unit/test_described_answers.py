"""Answers that describe a fact instead of saying yes or no.

A study coordinator reads "born and raised in Ohio" as a yes to "are you a US citizen or
a permanent resident?", "I'm here on a work visa" as something to check (the listing
says "U.S. residents", the criterion citizen or permanent resident), and "the 'possible'
category" as a yes to "has a doctor diagnosed ALS? Possible ALS counts too". Each case is
a whole reply as a person types it; the statuses are data/lexicon.yml `descriptions`, what
they mean is the trial file's `described_by`.
"""
from __future__ import annotations

import json
from typing import Any

import pytest

from bot.prescreen import screening
from bot.understanding.lexicon import load_lexicon
from bot.prescreen.form_requests import Turn
from bot.prescreen.state import ASKING, State, current_question
from tests.prescreen_driver import READING_DAY, read_to as read
from bot.trial.model import Trial


@pytest.mark.parametrize(("text", "value"), [
    # Citizens and permanent residents, in the words people use.
    ("born and raised in Ohio", "yes"),
    ("i was born in chicago illinois", "yes"),
    ("born right here in the usa", "yes"),
    ("yes born and raised in texas", "yes"),
    ("born in Puerto Rico", "yes"),  # citizens by birth
    ("naturalized in 2010", "yes"),
    ("he got naturalized back in 1998", "yes"),
    ("my wife got her citizenship last year", "yes"),
    ("he was born in Canada but is a naturalized US citizen", "yes"),
    ("we moved here from Mexico and have our green cards", "yes"),
    ("my husband is from guatemala but he has his green card", "yes"),
    ("not a citizen yet, green card holder", "yes"),
    ("conditional green card", "yes"),
    ("US born", "yes"),
    ("born in NYC", "yes"),
    ("born and raised in San Diego California", "yes"),
    ("he has been a citizen since the 80s", "yes"),
    ("my dad came from Vietnam as a refugee in 1980, he's a citizen now", "yes"),
    # A visit is neither, under every source.
    ("we are here visiting from ireland", "no"),
    ("tourist visa", "no"),
    # Statuses the sources read differently, or that do not say: the study team checks.
    ("I'm here on a work visa", "unsure"),
    ("she came over from india on an h-1b", "unsure"),
    ("no, I'm on a student visa", "unsure"),  # the no is about citizenship, the visa stands
    ("not a citizen, just a work permit", "unsure"),
    ("I'm a DACA recipient", "unsure"),
    ("he's a dreamer", "unsure"),
    ("TPS", "unsure"),
    ("I have asylum", "unsure"),
    ("refugee", "unsure"),
    ("she's undocumented", "unsure"),
    ("dual citizen", "unsure"),  # of which countries?
    ("I wasn't born here", "unsure"),  # may be naturalized
    ("not born in the us", "unsure"),
    ("green card pending", "unsure"),
    ("I'm a citizen of Mexico", "unsure"),  # a citizen, but not said of the US
    ("he's a legal resident", "unsure"),  # living here legally, status not said
    ("h4 visa", "unsure"),
    # A plain no stays a no.
    ("no green card", "no"),
    ("not a citizen and no green card", "no"),
    ("nope", "no"),
])
def test_citizenship_and_residency_described(trial: Trial, text: str, value: str) -> None:
    assert read(trial, "us_resident", text) == value


@pytest.mark.parametrize("text", [
    "born in Mexico, raised in Ohio",  # the birth place is not in the US, the rest says nothing
    "I'm British, live in London",  # a nationality alone: asked once, then "not sure"
])
def test_a_status_that_says_nothing_certain_is_not_guessed(trial: Trial, text: str) -> None:
    assert read(trial, "us_resident", text) in (None, "unsure")


@pytest.mark.parametrize(("text", "value"), [
    ("my neurologist put me in the 'possible' category, not probable yet", "yes"),
    ("not probable yet just possible", "yes"),
    ("the neurologist said clinically probable", "yes"),
    ("they told us it's probable ALS", "yes"),
    ("lab-supported probable", "yes"),
    ("definite ALS since march", "yes"),
    ("not officially, but it's possible ALS", "unsure"),  # "not officially": a doubt, said
    ("suspected ALS", "unsure"),
    ("not even possible yet, they're still testing", "no"),
    ("they said it's ALS", "yes"),
    ("ALS confirmed by EMG", "yes"),
    ("they said it's not ALS", "no"),
    ("no, they ruled it out", "no"),
    ("is it possible to join without a diagnosis", None),  # a question, not a category
])
def test_als_categories_count_as_a_diagnosis(trial: Trial, text: str, value: Any) -> None:
    assert read(trial, "diagnosed", text) == value


@pytest.mark.parametrize(("text", "taking", "steady"), [
    ("stable dose for months", "yes", "yes"),  # months: 2 or more
    ("same dose for about a year", "yes", "yes"),
    ("I've been on the same amount since last summer", "yes", "yes"),
    ("steady dosage for ages", "yes", "yes"),
    ("same amount since last week", "yes", "no"),  # steady, but not for 30 days yet
    ("on the same dose since January", "yes", "yes"),
    ("hasn't changed for a year", None, "yes"),  # not "no, not taking it": asked again
])
def test_a_dose_described_answers_taking_and_steady(trial: Trial, text: str, taking: Any, steady: Any) -> None:
    assert read(trial, "riluzole_taking", text) == taking
    assert read(trial, "riluzole_stable", text) == steady


def test_a_dose_said_to_the_taking_question_answers_the_steady_one_too(trial: Trial) -> None:
    state = State(stage=ASKING, is_self=True, answers={
        "diagnosed": "yes", "other_causes_ruled_out": "yes", "weakness_started": 12, "age": 54, "sex": "male",
        "us_resident": "yes", "can_travel": "yes",
    })
    assert current_question(trial, state).id == "riluzole_taking"  # type: ignore[union-attr]
    said = screening.step(trial, state, Turn("stable dose for months"), READING_DAY)
    assert state.answers["riluzole_taking"] == "yes" and state.answers["riluzole_stable"] == "yes"
    assert "Takes riluzole now: Yes" in (said[0].text or "") and "Same riluzole dose for 30 days: Yes" in (said[0].text or "")
    assert current_question(trial, state).id == "autoimmune"  # type: ignore[union-attr]
    json.dumps(state.to_dict())


def test_every_description_a_question_uses_is_in_the_lexicon(trial: Trial) -> None:
    kinds = load_lexicon().description_kinds()
    assert trial.screening is not None
    used = {d.kind for q in trial.screening.questions for d in q.described_by}
    assert used and used <= kinds
