"""A second trial is a second file (issue 12): a made-up trial runs through the same engine.

tests/fixtures/trials/TEST-FIXTURE-0001.yml is a fictional fixture, never shipped (see its
header). Its questions, rules, words, status and time zone all differ from NCT03268603, and
nothing in bot/ names it: each test here would fail if the engine kept an ALS fact of its own.
What is asserted is what a person would notice: the questions asked and their words, the
verdict, the criteria that fail, the answers shown back, the date "today" is.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml

from bot.trial import replies
from bot.prescreen.stage_replies.asking import why_asked
from bot.prescreen.state import DONE, FOR_WHOM, REVIEW, RULED_OUT, answers_summary
from bot.prescreen.today import person_today
from bot.prescreen.eligibility import evaluate, result_payload, result_text, ruled_out, verdict
from bot.prescreen.kinds import read_answer
from bot.prescreen.questions import answers_that_apply, next_question, wording
from bot.prescreen.subject import Subject
from bot.understanding.reading import read_reply
from bot.paths import REPO_ROOT
from bot.trial.loading import TRIALS_DIR, load_trial, load_trial_file
from bot.trial.model import Trial
from bot.trial.trial_file import ANSWER_VALUES
from tests.prescreen_driver import READING_DAY, Chat as StepChat

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "trials" / "TEST-FIXTURE-0001.yml"

# Answers (as people type them) that keep a man of 50 in the running, by question id.
ELIGIBLE = {
    "has_autoimmune": "yes, celiac disease",
    "condition_found": "about a year ago",
    "flare_now": "no",
    "years_old": "50",
    "sex_at_birth": "male",
    "pregnant_now": "no",
    "supplements_recent": "no",
    "breathing_machine": "no",
}


@pytest.fixture(scope="module")
def trial() -> Trial:
    return load_trial_file(FIXTURE)


def Chat(trial: Trial, opening: str = "Can I join?") -> StepChat:
    """A pre-screen of the fixture as of READING_DAY, with its own eligible answers (tests/prescreen_driver.py)."""
    return StepChat(trial, READING_DAY, opening, eligible=ELIGIBLE)


def statuses(trial: Trial, answers: dict[str, Any]) -> tuple[str, dict[str, str]]:
    results = evaluate(trial, answers)
    return verdict(results), {r.id: r.status for r in results}


# ---------------------------------------------------------------------------
# The file, and where it is (not) found
# ---------------------------------------------------------------------------
def test_the_fixture_loads_as_its_own_trial(trial: Trial) -> None:
    assert trial.id == "TEST-FIXTURE-0001"
    assert trial.recruiting is True
    assert trial.timezone == "Europe/London"
    assert trial.screening is not None
    assert [q.id for q in trial.screening.questions] == [
        "has_autoimmune", "condition_found", "flare_now", "years_old",
        "sex_at_birth", "pregnant_now", "supplements_recent", "breathing_machine",
    ]
    assert {q.kind for q in trial.screening.questions} <= set(ANSWER_VALUES)
    als = load_trial()
    assert als.screening is not None
    # Nothing shared: an engine keyed on the ALS ids, words or labels would find none here.
    assert not {q.id for q in trial.screening.questions} & {q.id for q in als.screening.questions}
    assert not {c.id for c in trial.criteria} & {c.id for c in als.criteria}
    assert trial.screening.consent != als.screening.consent


def test_the_fixture_says_it_is_a_fixture() -> None:
    header = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    assert "TEST FIXTURE" in header and "NOT A REAL TRIAL" in header and "NEVER SHIPPED" in header


def test_the_running_assistant_never_loads_the_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_trial() reads data/trials/ only; `rasa data validate` and `rasa train` read data/."""
    assert (REPO_ROOT / "data") not in FIXTURE.parents
    assert FIXTURE.name not in {p.name for p in TRIALS_DIR.glob("*.yml")}
    monkeypatch.delenv("TRIAL_ID", raising=False)
    assert load_trial().id == "NCT03268603"
    with pytest.raises(FileNotFoundError):
        load_trial("TEST-FIXTURE-0001")


@pytest.mark.parametrize(
    "trial_id", ["../../tests/fixtures/trials/TEST-FIXTURE-0001", str(FIXTURE.with_suffix("")), "..", ".hidden"]
)
def test_a_trial_id_cannot_reach_out_of_data_trials(trial_id: str) -> None:
    """TRIAL_ID and staff --trial name a file in data/trials/; a path never loads the fixture."""
    with pytest.raises(FileNotFoundError, match="no trial file"):
        load_trial(trial_id)


# ---------------------------------------------------------------------------
# A whole pre-screen, typed as a caregiver types
# ---------------------------------------------------------------------------
def test_a_caregiver_goes_through_the_whole_pre_screen_for_his_wife(trial: Trial) -> None:
    chat = Chat(trial, "Can you check if we qualify?")
    assert chat.prompt is not None and chat.prompt.text is not None
    assert chat.prompt.text.startswith("TEST FIXTURE: this is a made-up walking study.")
    assert "about 15 short questions about the ALS diagnosis" not in chat.prompt.text

    chat.say("Yes, I agree")
    assert chat.state.stage == FOR_WHOM

    # "My wife" says whom (she) and her sex; naming lupus answers the first question.
    chat.say("My wife has lupus")
    assert chat.state.answers == {"sex_at_birth": "female", "has_autoimmune": "yes"}
    assert chat.said().splitlines()[-1] == "When did a doctor first find your wife's condition? A rough date is fine."
    assert [b["title"] for b in chat.prompt.buttons] == ["Don't know"]  # type: ignore[union-attr]

    chat.say("a little over 2 years ago")  # a qualifier: 24 to 30 months, under the 36 line
    assert chat.said().splitlines()[-1] == "Is your wife having a flare of the condition right now?"
    chat.say("no, not at the moment")
    assert chat.said().splitlines()[-1] == "What is your wife's age in years?"
    chat.say("she's 62")
    # 62: the pregnancy question (women under 55 only) and the sex question are skipped.
    assert chat.said().splitlines()[-1] == "In the last 14 days, has your wife taken any supplements, such as vitamins or fish oil?"
    chat.say("she stopped fish oil about a month ago")  # 15 to 46 days: all past the 14-day line
    assert chat.said().splitlines()[-1] == "Does your wife use a machine to help her breathe, such as CPAP at night or a ventilator?"
    chat.say("CPAP at night")
    # Each typed answer was read back, in this trial's own button words; then the answers are
    # reviewed before the result.
    assert chat.replies[0].text == "Got it: Breathing machine: CPAP or BiPAP."
    assert chat.state.stage == REVIEW
    assert "- Age in years: 62" in (chat.prompt.text or "")  # type: ignore[union-attr]
    chat.say("that's all correct")

    assert chat.state.stage == DONE
    assert chat.asked == ["condition_found", "flare_now", "years_old", "supplements_recent", "breathing_machine"]
    results = evaluate(trial, chat.state.answers)
    assert verdict(results) == "likely_eligible"
    payload = result_payload(trial, results)
    assert payload["type"] == "eligibility_result"
    assert payload["trial"] == "TEST-FIXTURE-0001"
    assert payload["verdict"] == "likely_eligible"
    assert [(c["id"], c["kind"], c["status"]) for c in payload["criteria"]] == [
        ("autoimmune_condition", "inclusion", "pass"),
        ("found_within_3_years", "inclusion", "pass"),
        ("no_flare", "exclusion", "pass"),
        ("age_40_to_75", "inclusion", "pass"),
        ("not_pregnant", "exclusion", "pass"),
        ("supplements_14_days", "exclusion", "pass"),
        ("night_breathing", "exclusion", "pass"),
    ]  # kidney_test is `known: false`: no answer decides it
    assert {c["id"]: c["reason"] for c in payload["criteria"]}["not_pregnant"] == "Only asked of women under 55."

    text = result_text(trial, results, chat.state.subject())
    assert "your wife may be a good fit for this study" in text
    assert "such as a kidney blood test" in text
    assert "Write to the fictional walking team" in text
    assert "not recruiting" not in text  # the fixture is recruiting: no status line
    assert "Mayo" not in text and "ALS" not in text

    summary = answers_summary(trial, chat.state.answers)
    assert summary.splitlines() == [
        "Here are the answers so far:",
        "- Autoimmune condition: Yes",
        "- When the condition was found: 24 to 30 months ago",
        "- Flare right now: No",
        "- Age in years: 62",
        "- Sex: Female",
        "- Supplements in the last 14 days: No",
        "- Breathing machine: CPAP or BiPAP",
    ]


def test_an_answer_outside_the_fixtures_rules_rules_out_at_once(trial: Trial) -> None:
    chat = Chat(trial)
    chat.say("Yes, I agree")
    chat.say("me")
    for text in ("yes", "about a year ago", "no"):
        chat.say(text)
    chat.say("I'm 38")
    assert chat.state.stage == RULED_OUT
    assert "The walking study is for people 40 or older." in chat.said()
    chat.say("Stop here")
    results = evaluate(trial, chat.state.answers)
    assert verdict(results) == "likely_not_eligible"
    assert [r.id for r in results if r.status == "fail"] == ["age_40_to_75"]


@pytest.mark.parametrize(
    "answers, failing",
    [
        ({"has_autoimmune": "no"}, ["autoimmune_condition"]),
        ({"condition_found": "5 years ago"}, ["found_within_3_years"]),
        ({"flare_now": "yes, she is flaring"}, ["no_flare"]),
        ({"years_old": "76"}, ["age_40_to_75"]),
        ({"sex_at_birth": "female", "years_old": "44", "pregnant_now": "yes"}, ["not_pregnant"]),
        ({"supplements_recent": "I stopped vitamins 10 days ago"}, ["supplements_14_days"]),
        ({"breathing_machine": "a ventilator"}, ["night_breathing"]),
    ],
)
def test_each_of_the_fixtures_rules_can_fail_on_its_own(
    trial: Trial, answers: dict[str, str], failing: list[str]
) -> None:
    chat = Chat(trial)
    chat.say("Yes, I agree")
    chat.say("me")
    chat.answer_all(answers)
    assert statuses(trial, chat.state.answers)[0] == "likely_not_eligible"
    assert [r.id for r in evaluate(trial, chat.state.answers) if r.status == "fail"] == failing


def test_everything_in_range_is_likely_eligible(trial: Trial) -> None:
    chat = Chat(trial)
    chat.say("Yes, I agree")
    chat.say("me")
    chat.answer_all({})
    assert chat.asked == [
        "has_autoimmune", "condition_found", "flare_now", "years_old", "sex_at_birth",
        "supplements_recent", "breathing_machine",
    ]
    assert statuses(trial, chat.state.answers)[0] == "likely_eligible"


# ---------------------------------------------------------------------------
# The fixture's own lines: ages, months, days
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "said, status",
    [("39", "fail"), ("40", "pass"), ("75", "pass"), ("76", "fail"), ("over 70", "unknown")],
)
def test_the_age_window_is_40_to_75(trial: Trial, said: str, status: str) -> None:
    assert trial.screening is not None
    age = read_answer(trial.screening.question("years_old"), read_reply(said, READING_DAY))  # type: ignore[arg-type]
    result = {r.id: r for r in evaluate(trial, {"years_old": age})}["age_40_to_75"]
    assert result.status == status
    if status == "unknown":  # 70 and up crosses 75: said to be on either side, not unanswered
        assert result.reason.startswith("The answer could be on either side of the walking study's limit")


@pytest.mark.parametrize(
    "said, status",
    [("35 months ago", "pass"), ("4 years ago", "fail"), ("about 3 years ago", "unknown"), ("in March 2023", "pass")],
)
def test_the_condition_must_be_found_within_36_months(trial: Trial, said: str, status: str) -> None:
    assert trial.screening is not None
    months = read_answer(trial.screening.question("condition_found"), read_reply(said, READING_DAY))  # type: ignore[arg-type]
    result = {r.id: r for r in evaluate(trial, {"condition_found": months})}["found_within_3_years"]
    assert result.status == status


def test_the_supplement_window_is_the_fixtures_14_days_not_the_als_28(trial: Trial) -> None:
    """The same words read against each file's own window and medicine group."""
    als = load_trial()
    assert trial.screening is not None and als.screening is not None
    ours = trial.screening.question("supplements_recent")
    theirs = als.screening.question("immunosuppressant_recent")
    assert ours is not None and theirs is not None
    assert read_answer(ours, read_reply("stopped 3 weeks ago", READING_DAY)) == "no"  # 21 days: past 14
    assert read_answer(theirs, read_reply("stopped 3 weeks ago", READING_DAY)) == "yes"  # 21 days: inside 28
    assert read_answer(ours, read_reply("she takes vitamin D every day", READING_DAY)) == "yes"
    assert read_answer(ours, read_reply("fish oil", READING_DAY)) == "yes"  # naming the group answers
    assert read_answer(ours, read_reply("prednisone", READING_DAY)) is None  # another group says nothing here


def test_the_rules_come_from_the_file(trial: Trial, tmp_path: Path) -> None:
    """Move the fixture's age line in a copy: the same answers get another verdict."""
    raw = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    age_rule = next(c for c in raw["criteria"] if c["id"] == "age_40_to_75")["rule"]
    age_rule[0]["when"]["years_old"]["less_than"] = 60
    age_rule[2]["when"]["years_old"]["at_least"] = 60
    moved = tmp_path / "moved.yml"
    moved.write_text(yaml.safe_dump(raw), encoding="utf-8")
    answers = {"years_old": 62}
    assert {r.id: r.status for r in evaluate(trial, answers)}["age_40_to_75"] == "pass"
    assert {r.id: r.status for r in evaluate(load_trial_file(moved), answers)}["age_40_to_75"] == "fail"


# ---------------------------------------------------------------------------
# `when:` conditions
# ---------------------------------------------------------------------------
def test_follow_ups_are_asked_only_when_their_conditions_hold(trial: Trial) -> None:
    def next_id(answers: dict[str, Any]) -> Optional[str]:
        found = next_question(trial, answers)
        return found.id if found else None

    assert next_id({}) == "has_autoimmune"
    assert next_id({"has_autoimmune": "yes"}) == "condition_found"
    assert next_id({"has_autoimmune": "no"}) == "years_old"  # no date or flare asked
    assert next_id({"has_autoimmune": "unsure"}) == "years_old"
    base = {"has_autoimmune": "no", "years_old": 44}
    assert next_id({**base, "sex_at_birth": "female"}) == "pregnant_now"
    assert next_id({**base, "sex_at_birth": "male"}) == "supplements_recent"
    assert next_id({**base, "years_old": 55, "sex_at_birth": "female"}) == "supplements_recent"
    # "about 50 to 59": maybe under 55, maybe not: the question is not asked, and the rule
    # says the study team checks, as the age could be on either side.
    answers = {**base, "years_old": {"low": 50, "high": 59}, "sex_at_birth": "female"}
    assert next_id(answers) == "supplements_recent"
    pregnancy = {r.id: r for r in evaluate(trial, answers)}["not_pregnant"]
    assert pregnancy.status == "unknown"
    assert pregnancy.reason.startswith("The answer could be on either side")


def test_a_changed_answer_drops_the_follow_ups_that_no_longer_apply(trial: Trial) -> None:
    answers = {"has_autoimmune": "no", "condition_found": 10, "flare_now": "yes", "years_old": 50}
    assert answers_that_apply(trial, answers) == {"has_autoimmune": "no", "years_old": 50}
    # With no condition the flare follow-up is never asked: ruled out at once, settled.
    assert [r.id for r in ruled_out(trial, {"has_autoimmune": "no"})] == ["autoimmune_condition"]


def test_a_caregiver_reads_each_question_about_the_person(trial: Trial) -> None:
    assert trial.screening is not None
    husband = Subject.from_relation("my husband")
    asked = [wording(q, husband) for q in trial.screening.questions]
    assert asked[0] == (
        "Has a doctor found that your husband has an autoimmune condition, such as lupus or celiac disease?"
    )
    assert asked[3] == "What is your husband's age in years?"
    assert asked[7] == "Does your husband use a machine to help him breathe, such as CPAP at night or a ventilator?"
    assert wording(trial.screening.questions[5], Subject.self()) == "Are you pregnant right now?"


def test_why_a_question_is_asked_quotes_the_fixtures_rules(trial: Trial) -> None:
    assert trial.screening is not None
    why = why_asked(trial, trial.screening.question("years_old"))  # type: ignore[arg-type]
    assert "- To take part: Aged 40 to 75." in why
    assert "- Not able to take part: Pregnant." in why  # the pregnancy rule reads the age too
    assert "ALS" not in why


# ---------------------------------------------------------------------------
# Answers about the trial
# ---------------------------------------------------------------------------
def test_topics_are_answered_from_the_fixture(trial: Trial) -> None:
    eligibility = replies.answer_question(trial, "eligibility")
    assert eligibility is not None
    # Recruiting: no "not recruiting" line, though the topic mentions status.
    assert eligibility.text == (
        "The walking study is for people aged 40 to 75 with an autoimmune condition found in the last 3 years."
    )
    assert [s.title for s in eligibility.sources] == [
        "Fictional fact sheet (test fixture, not a real document)",
        "Fictional registry entry TEST-FIXTURE-0001",
    ]
    assert replies.answer_question(trial, "placebo") is None  # a topic the fixture does not have
    supplements = replies.medication_answer(trial, ["supplement"])
    assert supplements is not None and "14 days before the first walk" in supplements.text
    unnamed = replies.medication_answer(trial, ["riluzole"])
    assert unnamed is not None and unnamed.text.startswith("The fact sheet does not name this medicine.")


def test_greeting_menu_and_handoff_are_the_fixtures(trial: Trial) -> None:
    greeting = replies.greeting(trial)
    assert '"Fictional Walking Study (test fixture)" (TEST-FIXTURE-0001)' in greeting
    assert "recruiting" not in greeting
    assert [b["title"] for b in replies.menu_buttons(trial)] == [
        "What the walking study is about", "Who can join the walking study", "Medicines and supplements",
        "Reach the walking team", "Check if I may qualify",
    ]
    handoff = replies.handoff_answer(trial, "asked")
    assert handoff.text.startswith("I'm a test assistant for a made-up study")
    assert "Write to the fictional walking team" in handoff.text
    assert handoff.text.endswith("This is a test fixture.")


# ---------------------------------------------------------------------------
# "Today" is the fixture site's date
# ---------------------------------------------------------------------------
def test_today_is_the_date_in_london(trial: Trial) -> None:
    late_evening = datetime(2025, 6, 15, 23, 30, tzinfo=timezone.utc)  # 00:30 on the 16th in London (BST)
    assert person_today(trial, now=late_evening) == date(2025, 6, 16)
    assert person_today(load_trial(), now=late_evening) == date(2025, 6, 15)  # Chicago
    winter = datetime(2025, 1, 15, 23, 30, tzinfo=timezone.utc)  # GMT: still the 15th
    assert person_today(trial, now=winter) == date(2025, 1, 15)
    # A zone the person's channel sends still wins over the site's.
    assert person_today(trial, "Asia/Tokyo", now=winter) == date(2025, 1, 16)


def test_london_today_decides_a_supplement_stopped_on_the_line(trial: Trial) -> None:
    """Stopped on 2 June: 14 days before 16 June (London) but 13 before 15 June (Chicago)."""
    assert trial.screening is not None
    question = trial.screening.question("supplements_recent")
    assert question is not None
    late_evening = datetime(2025, 6, 15, 23, 30, tzinfo=timezone.utc)
    london = person_today(trial, now=late_evening)
    chicago = person_today(trial, "America/Chicago", now=late_evening)
    assert read_answer(question, read_reply("she stopped vitamins on June 2nd", london)) == "no"
    assert read_answer(question, read_reply("she stopped vitamins on June 2nd", chicago)) == "yes"
