"""The trial file loads, and every fact the bot needs is where the code looks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.paths import REPO_ROOT
from tests.claims import claims_it_works, claims_recruiting

from bot.trial.loading import TRIALS_DIR, load_trial, load_trial_file

DOMAIN = REPO_ROOT / "domain.yml"


def test_the_one_trial_file_is_the_default() -> None:
    trial = load_trial()
    assert trial.id == "NCT03268603"
    assert trial.recruiting is False
    assert "not recruiting" in trial.status_summary


def test_every_question_intent_has_a_topic() -> None:
    """An ask_* intent without a topic would leave a user with no answer."""
    intents = yaml.safe_load(DOMAIN.read_text())["intents"]
    topics = load_trial().topics
    asked = {i[len("ask_"):] for i in intents if i.startswith("ask_") and i != "ask_capabilities"}
    assert asked - {"medical_advice"} == set(topics) - {"care"}
    assert "care" in intents  # care messages are answered from the trial file too


def test_every_medicine_group_has_a_rule_and_other_is_the_default() -> None:
    trial = load_trial()
    assert {"riluzole", "edaravone", "immunosuppressant", "supplement", "other"} <= set(trial.medications)
    assert trial.medication_rule("baclofen-like-unknown-group").group == "other"


def test_unknown_source_in_a_trial_file_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())
    raw["topics"]["placebo"]["sources"] = ["nowhere"]
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match="nowhere"):
        load_trial_file(broken)


def test_no_answer_text_claims_recruiting_or_benefit() -> None:
    trial = load_trial()
    texts = [t.answer for t in trial.topics.values()] + [m.answer for m in trial.medications.values()]
    for text in texts:
        assert not claims_recruiting(text), text
        assert not claims_it_works(text), text


def test_the_claim_checks_can_fail() -> None:
    assert claims_recruiting("The study is recruiting now.")
    assert claims_it_works("Good news: the treatment works.")
    assert not claims_recruiting("This study is not recruiting.")


@pytest.mark.parametrize("remove", ["handoff", "contact"])
def test_a_trial_file_without_handoff_words_or_a_contact_answer_is_refused(tmp_path: Path, remove: str) -> None:
    raw = yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())
    if remove == "handoff":
        del raw["handoff"]
    else:
        del raw["topics"]["contact"]
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match="handoff" if remove == "handoff" else "topics.contact"):
        load_trial_file(broken)


def test_handoff_words_are_short_and_make_no_claims() -> None:
    handoff = load_trial().handoff
    for text in (handoff.asked, handoff.repeated_failure, handoff.closing):
        assert not claims_recruiting(text) and not claims_it_works(text), text
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            assert len(sentence.split()) <= 25, sentence


def test_a_steady_for_days_on_a_question_that_is_not_yes_no_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())
    age = next(q for q in raw["screening"]["questions"] if q["id"] == "age")
    age["steady_for_days"] = 30
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match="steady_for_days"):
        load_trial_file(broken)


@pytest.mark.parametrize("zone", ["Central Time", "America/Nowhere", 5])
def test_a_time_zone_that_is_not_an_iana_name_is_refused(tmp_path: Path, zone: object) -> None:
    raw = yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())
    raw["timezone"] = zone
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match="time zone"):
        load_trial_file(broken)


def test_within_days_on_a_sex_question_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())
    next(q for q in raw["screening"]["questions"] if q["id"] == "sex")["within_days"] = 30
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match="within_days"):
        load_trial_file(broken)


def _question(raw: dict, question_id: str) -> dict:
    return next(q for q in raw["screening"]["questions"] if q["id"] == question_id)


@pytest.mark.parametrize("change, place", [
    (lambda raw: _question(raw, "age")["ask"].pop("self"), r"screening\.questions\[age\]\.ask\.self: field required"),
    (lambda raw: _question(raw, "age").update(exmaple="54"), r"screening\.questions\[age\]\.exmaple: extra fields"),
    (lambda raw: _question(raw, "sex").update(kind="gender"), r"screening\.questions\[sex\]\.kind: 'gender' is not one of yes_no, recent_use, age"),
    (lambda raw: _question(raw, "age")["ask"].update(other="How old is {nmae}?"),
     r"screening\.questions\[age\]\.ask\.other: unknown placeholders \['nmae'\]"),
    (lambda raw: raw["criteria"][0]["rule"][0].update(when={"diagnosed": True}),
     r"criteria\[als_diagnosis\]\.rule\[1\]\.when: diagnosed: got True; write \"yes\" or \"no\" in quotes"),
    (lambda raw: raw["criteria"][0]["rule"][0]["when"].update(diagnosed={"at_most": 3}),
     r"criteria\[als_diagnosis\]\.rule\[1\]\.when\.diagnosed\.at_most: extra fields not permitted$"),
    (lambda raw: raw["criteria"][0]["rule"][0].update(status="passed"), r"criteria\[als_diagnosis\]\.rule\[1\]\.status: 'passed' is not one of pass, fail, unknown"),
    (lambda raw: raw["status"].update(recruiting="no"), r"status\.recruiting: value is not a valid boolean"),
    (lambda raw: raw["topics"]["purpose"].update(answer="  "), r"topics\.purpose\.answer: ensure this value has at least 1"),
])
def test_a_broken_trial_file_names_the_field(tmp_path: Path, change, place: str) -> None:
    """A study coordinator editing the YAML is told the file, the place and what is wrong there;
    a list item by its id, and a value that may take several shapes by the one it came closest to."""
    raw = yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())
    change(raw)
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match=rf"^{re.escape(str(broken))}: {place}"):
        load_trial_file(broken)
