"""Answers -> statuses -> verdict, as the person sees it at the end of the pre-screen."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from bot.prescreen.eligibility import CriterionResult, evaluate, result_payload, result_text, ruled_out, verdict
from bot.prescreen.questions import applies
from bot.prescreen.subject import Subject
from bot.trial.loading import TRIALS_DIR, load_trial, load_trial_file
from bot.trial.model import Trial
from tests.claims import claims_it_works, claims_recruiting
from tests.prescreen_driver import FIT_MAN, read_surely, status_after, status_of


def with_answers(**changes: Any) -> dict[str, Any]:
    """FIT_MAN with some answers changed; None removes an answer."""
    answers = {**FIT_MAN, **changes}
    return {k: v for k, v in answers.items() if v is not None}


# --- a fit person --------------------------------------------------------------------
def test_a_fit_man_passes_every_known_criterion(trial: Trial) -> None:
    results = evaluate(trial, FIT_MAN)
    assert {r.status for r in results} == {"pass"}
    assert verdict(results) == "likely_eligible"


def test_one_result_per_known_criterion_in_trial_order(trial: Trial) -> None:
    ids = [r.id for r in evaluate(trial, FIT_MAN)]
    assert ids == [c.id for c in trial.criteria if c.known]
    assert "lung_function" not in ids and "other_conditions" not in ids


# --- boundaries ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "status"), [("17", "fail"), ("I'm 18", "pass"), ("seventeen", "fail")])
def test_age_boundary(trial: Trial, text: str, status: str) -> None:
    assert status_after(trial, "age", text, "age_18_plus") == status


@pytest.mark.parametrize(("months", "status"), [(23.9, "pass"), (24, "fail"), (24.0, "fail"), (0.5, "pass")])
def test_weakness_boundary(trial: Trial, months: float, status: str) -> None:
    assert status_of(trial, with_answers(weakness_started=months), "weakness_under_2_years") == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("about a year and a half ago", "pass"),
        # "2 years ago" is 18 to 30 months: either side of the line (it failed, a guess).
        ("2 years ago", "unknown"),
        ("3 years ago", "fail"),
        ("since 2020", "fail"),
        ("not sure", "unknown"),
    ],
)
def test_weakness_from_free_text(trial: Trial, text: str, status: str) -> None:
    assert status_after(trial, "weakness_started", text, "weakness_under_2_years") == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("stopped it 29 days ago", "fail"),
        # 30 days said is to the nearest day: on the line, so checked (it passed, a guess)
        ("stopped it 30 days ago", "unknown"),
        ("stopped it 31 days ago", "pass"),
        ("stopped Radicava 2 weeks ago", "fail"),
        ("he plans to start Radicava", "fail"),
        ("never", "pass"),
        ("not sure", "unknown"),
    ],
)
def test_edaravone_boundary(trial: Trial, text: str, status: str) -> None:
    assert status_after(trial, "edaravone_recent", text, "edaravone_30_days") == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("stopped 27 days ago", "fail"),
        # On the 4-week line both are checked: "4 weeks" is 3.5 to 4.5 weeks (both passed before).
        ("stopped 28 days ago", "unknown"),
        ("4 weeks ago", "unknown"),
        ("stopped 29 days ago", "pass"),
        ("5 weeks ago", "pass"),
        ("3 weeks ago", "fail"),
        ("on prednisone for my RA", "fail"),
        ("no", "pass"),
    ],
)
def test_immunosuppressant_boundary(trial: Trial, text: str, status: str) -> None:
    assert status_after(trial, "immunosuppressant_recent", text, "immunosuppressant_4_weeks") == status


@pytest.mark.parametrize(
    ("taking", "stable", "recent", "status"),
    [
        ("yes", "yes", None, "pass"),
        ("no", None, "no", "pass"),
        ("yes", "no", None, "fail"),
        ("no", None, "yes", "fail"),
        ("yes", "unsure", None, "unknown"),
        ("no", None, "unsure", "unknown"),
        ("unsure", None, None, "unknown"),
    ],
)
def test_riluzole(trial: Trial, taking: str, stable: Any, recent: Any, status: str) -> None:
    answers = with_answers(riluzole_taking=taking, riluzole_stable=stable, riluzole_recent=recent)
    assert status_of(trial, answers, "riluzole_stable") == status


def test_riluzole_from_free_text(trial: Trial) -> None:
    answers = with_answers(
        riluzole_taking=read_surely(trial, "riluzole_taking", "I take Rilutek twice a day"),
        riluzole_stable=read_surely(trial, "riluzole_stable", "yes, same dose"),
    )
    assert status_of(trial, answers, "riluzole_stable") == "pass"
    stopped = {k: v for k, v in FIT_MAN.items() if k != "riluzole_stable"}
    stopped.update(riluzole_taking="no", riluzole_recent=read_surely(trial, "riluzole_recent", "stopped 2 weeks ago"))
    assert status_of(trial, stopped, "riluzole_stable") == "fail"


def test_men_pass_the_birth_control_and_pregnancy_rules(trial: Trial) -> None:
    assert status_of(trial, FIT_MAN, "birth_control") == "pass"
    assert status_of(trial, FIT_MAN, "pregnant_or_breastfeeding") == "pass"


@pytest.mark.parametrize(
    ("answers", "birth_control", "pregnancy"),
    [
        ({"past_childbearing": "yes"}, "pass", "pass"),
        ({"past_childbearing": "no", "pregnant_or_breastfeeding": "no", "two_birth_control": "yes"}, "pass", "pass"),
        ({"past_childbearing": "no", "pregnant_or_breastfeeding": "yes", "two_birth_control": "yes"}, "pass", "fail"),
        ({"past_childbearing": "no", "pregnant_or_breastfeeding": "no", "two_birth_control": "no"}, "fail", "pass"),
        ({"past_childbearing": "unsure", "pregnant_or_breastfeeding": "no", "two_birth_control": "yes"}, "pass", "pass"),
        ({"past_childbearing": "unsure", "pregnant_or_breastfeeding": "no", "two_birth_control": "no"}, "unknown",
         "pass"),
        ({"past_childbearing": "no", "pregnant_or_breastfeeding": "unsure", "two_birth_control": "unsure"}, "unknown",
         "unknown"),
    ],
)
def test_women(trial: Trial, answers: dict[str, str], birth_control: str, pregnancy: str) -> None:
    woman = with_answers(sex="female", **answers)
    assert status_of(trial, woman, "birth_control") == birth_control
    assert status_of(trial, woman, "pregnant_or_breastfeeding") == pregnancy


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("nope", "pass"),
        ("he uses a ventilator", "fail"),
        ("he uses bipap at night", "unknown"),
        ("diaphragm pacer", "unknown"),
        ("not sure", "unknown"),
    ],
)
def test_breathing_machines(trial: Trial, text: str, status: str) -> None:
    value = read_surely(trial, "breathing_support", text)
    result = next(r for r in evaluate(trial, with_answers(breathing_support=value)) if r.id == "ventilator")
    assert result.status == status
    if value in ("noninvasive", "pacer"):
        assert "study team will check BiPAP or pacer use" in result.reason


def test_a_missing_answer_is_unknown_with_the_default_reason(trial: Trial) -> None:
    assert trial.screening is not None
    answers = {k: v for k, v in FIT_MAN.items() if k != "us_resident"}
    result = next(r for r in evaluate(trial, answers) if r.id == "us_resident")
    assert (result.status, result.reason) == ("unknown", trial.screening.unanswered_reason)


# "About a month ago" for a 30-day question: the days since the last dose, kept as said.
ACROSS_30_DAYS = {"low": 15.22, "high": 45.66, "low_open": False, "high_open": False}


@pytest.mark.parametrize(("question_id", "text", "criterion_id", "context"), [
    ("riluzole_recent", "stopped about a month ago", "riluzole_stable",
     {"riluzole_taking": "no", "riluzole_stable": None}),
    ("edaravone_recent", "stopped Radicava about a month ago", "edaravone_30_days", {}),
    ("immunosuppressant_recent", "last prednisone was 4 weeks ago", "immunosuppressant_4_weeks", {}),
])
def test_a_last_dose_across_the_window_could_be_either_side_not_unsure(
    trial: Trial, question_id: str, text: str, criterion_id: str, context: dict[str, Any]
) -> None:
    """The person said when; the study team checks because of the line, not their doubt."""
    assert trial.screening is not None
    answers = with_answers(**context, **{question_id: read_surely(trial, question_id, text)})
    result = next(r for r in evaluate(trial, answers) if r.id == criterion_id)
    assert (result.status, result.reason) == ("unknown", trial.screening.either_side_reason)
    assert "weren't sure" not in result_text(trial, evaluate(trial, answers), Subject.self())


@pytest.mark.parametrize(("question_id", "text", "criterion_id", "context"), [
    ("riluzole_recent", "not sure", "riluzole_stable", {"riluzole_taking": "no", "riluzole_stable": None}),
    ("edaravone_recent", "I don't think so", "edaravone_30_days", {}),
])
def test_a_doubted_last_dose_is_still_unsure(
    trial: Trial, question_id: str, text: str, criterion_id: str, context: dict[str, Any]
) -> None:
    answers = with_answers(**context, **{question_id: read_surely(trial, question_id, text)})
    result = next(r for r in evaluate(trial, answers) if r.id == criterion_id)
    assert result.status == "unknown" and result.reason.startswith("You weren't sure")


def test_an_unsure_stored_before_the_days_were_kept_still_loads(trial: Trial) -> None:
    """Screenings stored with 'unsure' for "about a month ago" keep their old reason."""
    answers = with_answers(riluzole_taking="no", riluzole_stable=None, riluzole_recent="unsure")
    result = next(r for r in evaluate(trial, answers) if r.id == "riluzole_stable")
    assert result.status == "unknown" and "weren't sure when riluzole" in result.reason


def test_a_last_dose_on_one_side_of_the_window_still_decides(trial: Trial) -> None:
    stopped = {"riluzole_taking": "no", "riluzole_stable": None}
    assert status_after(trial, "riluzole_recent", "stopped 2 weeks ago", "riluzole_stable", **stopped) == "fail"
    assert status_after(trial, "riluzole_recent", "stopped 6 weeks ago", "riluzole_stable", **stopped) == "pass"


def _consistent_answer_sets(trial: Trial, question_ids: list[str]) -> list[dict[str, Any]]:
    """Every way the form can answer these questions (each asked exactly when it applies)."""
    assert trial.screening is not None
    sample = {
        "yes_no": ["yes", "no", "unsure"],
        "recent_use": ["yes", "no", "unsure", ACROSS_30_DAYS],
        "age": [17, 18],
        "months_since": [23.9, 24.0, "unsure"],
        "sex": ["female", "male"],
        "breathing_device": ["none", "ventilator", "noninvasive", "pacer", "unsure"],
    }
    questions = [q for q in trial.screening.questions if q.id in question_ids]
    options = [[None, *sample[q.kind]] for q in questions]
    found = []
    for combo in itertools.product(*options):
        answers = {q.id: v for q, v in zip(questions, combo) if v is not None}
        if all((q.id in answers) == applies(q, answers) for q in questions):
            found.append(answers)
    return found


def test_every_complete_form_gets_a_real_reason_for_every_criterion(trial: Trial) -> None:
    """No decision table has a gap a finished form can fall into."""
    assert trial.screening is not None
    for criterion in trial.criteria:
        if not criterion.known:
            continue
        for answers in _consistent_answer_sets(trial, list(criterion.question_ids())):
            result = next(r for r in evaluate(trial, answers) if r.id == criterion.id)
            assert result.reason != trial.screening.unanswered_reason, (criterion.id, answers)


# --- verdict ---------------------------------------------------------------------
def r(status: str, criterion_id: str = "x") -> CriterionResult:
    return CriterionResult(criterion_id, "inclusion", status, "because")


def test_verdict_rule() -> None:
    assert verdict([r("pass"), r("pass")]) == "likely_eligible"
    assert verdict([r("pass"), r("unknown")]) == "needs_review"
    assert verdict([r("fail"), r("unknown"), r("pass")]) == "likely_not_eligible"
    assert verdict([r("unknown"), r("fail")]) == "likely_not_eligible"


def test_one_unsure_answer_needs_review(trial: Trial) -> None:
    assert verdict(evaluate(trial, with_answers(can_travel="unsure"))) == "needs_review"
    assert verdict(evaluate(trial, with_answers(can_travel="unsure", age=17))) == "likely_not_eligible"


# --- payload ---------------------------------------------------------------------
def test_payload_matches_the_design_contract(trial: Trial) -> None:
    results = evaluate(trial, with_answers(age=17, can_travel="unsure"))
    payload = result_payload(trial, results)
    assert set(payload) == {"type", "trial", "verdict", "criteria"}
    assert payload["type"] == "eligibility_result"
    assert payload["trial"] == "NCT03268603"
    assert payload["verdict"] == "likely_not_eligible"
    assert [c["id"] for c in payload["criteria"]] == [c.id for c in trial.criteria if c.known]
    for entry in payload["criteria"]:
        assert set(entry) == {"id", "kind", "status", "reason", "title"}
        assert entry["kind"] in ("inclusion", "exclusion")
        assert entry["status"] in ("pass", "fail", "unknown")
        assert entry["reason"]
        assert entry["title"]
    by_id = {c["id"]: c for c in payload["criteria"]}
    assert by_id["age_18_plus"] == {
        "id": "age_18_plus", "kind": "inclusion", "status": "fail", "reason": "The study is for people 18 or older.",
        "title": "Age",
    }
    assert by_id["able_to_travel"]["status"] == "unknown"
    assert by_id["autoimmune_disease"]["kind"] == "exclusion"
    assert json.loads(json.dumps(payload)) == payload


# --- text ------------------------------------------------------------------------
PROMISES = re.compile(r"\b(you are eligible|you qualify|qualifies|will be accepted|can definitely|is eligible|"
                      r"are eligible|guarantee)", re.I)


@pytest.mark.parametrize(
    "answers",
    [FIT_MAN, with_answers(can_travel="unsure"), with_answers(age=17, breathing_support="noninvasive")],
    ids=["fit", "unsure", "fails"],
)
@pytest.mark.parametrize("subject", [Subject.self(), Subject.from_relation("husband")], ids=["self", "husband"])
def test_text_never_promises_and_always_gives_status_and_next_steps(
    trial: Trial, answers: dict[str, Any], subject: Subject
) -> None:
    text = result_text(trial, evaluate(trial, answers), subject)
    assert not PROMISES.search(text), text
    assert not claims_recruiting(text) and not claims_it_works(text)
    assert "Only the study team can decide" in text
    assert trial.status_summary in text
    assert "ClinicalTrials.gov" in text and "NCT03268603" in text
    assert "lung function (a breathing test)" in text and "other health conditions" in text


def test_text_for_a_caregiver_names_the_person(trial: Trial) -> None:
    text = result_text(trial, evaluate(trial, FIT_MAN), Subject.from_relation("my husband"))
    assert text.startswith("Thank you for answering. Based on your answers, your husband may be a good fit")
    assert "not a promise" in text
    mine = result_text(trial, evaluate(trial, FIT_MAN), Subject.self())
    assert "you may be a good fit" in mine


def test_text_lists_what_failed_and_what_the_team_will_check(trial: Trial) -> None:
    answers = with_answers(age=17, breathing_support="noninvasive", can_travel="unsure")
    text = result_text(trial, evaluate(trial, answers), Subject.from_relation("mom"))
    assert "your mom may not be able to take part" in text
    assert "The study is for people 18 or older." in text
    assert "Travel to the study site: You weren't sure, so the study team will check this." in text
    assert "study team will check BiPAP or pacer use" in text
    assert "Weakness must have started" not in text  # passed criteria are not listed


def test_needs_review_text_says_the_team_checks(trial: Trial) -> None:
    text = result_text(trial, evaluate(trial, with_answers(diagnosed="unsure")), Subject.self())
    assert "would need to check a few things" in text
    assert "ALS diagnosis: You weren't sure" in text


def test_reasons_are_short_neutral_and_kind(trial: Trial) -> None:
    """Reasons are read by caregivers too: no "your", no sentence over 25 words."""
    for criterion in trial.criteria:
        for case in criterion.rule:
            assert "your" not in case.reason.lower().split(), case.reason
            assert len(case.reason.split()) <= 25, case.reason
            assert case.reason.endswith("."), case.reason


# --- ruled out mid-form --------------------------------------------------------------
def test_an_answer_that_already_rules_out_is_reported(trial: Trial) -> None:
    assert [x.id for x in ruled_out(trial, {"diagnosed": "yes", "age": 17})] == ["age_18_plus"]
    assert ruled_out(trial, {"diagnosed": "yes", "age": 18}) == []


def test_ruled_out_waits_for_follow_ups(trial: Trial) -> None:
    """Riluzole is decided only once the follow-up that applies is answered."""
    assert ruled_out(trial, {"riluzole_taking": "no"}) == []
    assert [x.id for x in ruled_out(trial, {"riluzole_taking": "no", "riluzole_recent": "yes"})] == ["riluzole_stable"]
    assert [x.id for x in ruled_out(trial, {"riluzole_taking": "yes", "riluzole_stable": "no"})] == ["riluzole_stable"]
    woman = {"sex": "female", "past_childbearing": "no"}
    assert ruled_out(trial, woman) == []
    assert [x.id for x in ruled_out(trial, {**woman, "two_birth_control": "no"})] == ["birth_control"]


def test_stale_answers_do_not_rule_out(trial: Trial) -> None:
    """An old "not stable" answer left after switching to "not taking" waits for the new follow-up."""
    assert ruled_out(trial, {"riluzole_taking": "no", "riluzole_stable": "no"}) == []


# --- the trial file is checked at load time -----------------------------------------------
def _raw() -> dict[str, Any]:
    return yaml.safe_load((TRIALS_DIR / "NCT03268603.yml").read_text())


def _criterion(raw: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    return next(c for c in raw["criteria"] if c["id"] == criterion_id)


def _question(raw: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in raw["screening"]["questions"] if q["id"] == question_id)


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(raw: dict[str, Any]) -> None:
        target: Any = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


BROKEN = [
    ("status", lambda raw: _criterion(raw, "age_18_plus")["rule"][0].update(status="maybe"), "maybe"),
    ("unknown question in a rule",
     lambda raw: _criterion(raw, "age_18_plus")["rule"][0].update(when={"agee": {"at_least": 18}}), "agee"),
    ("bare no in YAML", lambda raw: _criterion(raw, "us_resident")["rule"][1].update(when={"us_resident": False}),
     "quotes"),
    ("value a question cannot have",
     lambda raw: _criterion(raw, "us_resident")["rule"][0].update(when={"us_resident": "yse"}), "yse"),
    ("number test on a yes/no question",
     lambda raw: _criterion(raw, "us_resident")["rule"][0].update(when={"us_resident": {"at_least": 1}}),
     "us_resident"),
    ("unknown kind", lambda raw: _question(raw, "age").update(kind="number"), "number"),
    ("when names a later question",
     lambda raw: _question(raw, "diagnosed").update(when={"age": {"at_least": 18}}), "age"),
    ("when names no question", lambda raw: _question(raw, "riluzole_stable").update(when={"riluzole": "yes"}),
     "riluzole"),
    ("recent_use without within_days", lambda raw: _question(raw, "edaravone_recent").pop("within_days"),
     "within_days"),
    ("button value", lambda raw: _question(raw, "sex")["buttons"].append({"title": "Other", "value": "other"}),
     "other"),
    ("placeholder", lambda raw: _question(raw, "age")["ask"].update(other="How old is {nmae}?"), "nmae"),
    ("medicine group", lambda raw: _question(raw, "riluzole_taking").update(medicine="riluzol"), "riluzol"),
    ("known criterion without rule", lambda raw: _criterion(raw, "us_resident").pop("rule"), "us_resident"),
    ("rule on an unknown criterion",
     lambda raw: _criterion(raw, "lung_function").update(rule=[{"when": {"age": 1}, "status": "pass",
                                                                "reason": "x"}]), "lung_function"),
    ("duplicate question id", lambda raw: _question(raw, "sex").update(id="age"), "age"),
]


@pytest.mark.parametrize(("change", "named"), [pytest.param(c, n, id=i) for i, c, n in BROKEN])
def test_a_broken_trial_file_is_refused_at_load(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], named: str
) -> None:
    raw = _raw()
    change(raw)
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match=re.escape(named)):
        load_trial_file(broken)


def test_the_unbroken_file_loads_the_same_after_a_yaml_round_trip(tmp_path: Path) -> None:
    """So each refusal above comes from its one change, not from the round trip."""
    copy = tmp_path / "copy.yml"
    copy.write_text(yaml.safe_dump(_raw(), sort_keys=False))
    assert load_trial_file(copy).screening == load_trial().screening
