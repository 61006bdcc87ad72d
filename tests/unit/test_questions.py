"""The pre-screen questions as a person meets them: who is asked, in what order, how answers are read."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Optional

import pytest

from bot.prescreen.kinds import read_answer
from bot.prescreen.answer_display import display_value
from bot.prescreen.named_question import find_question_named
from bot.prescreen.questions import answers_that_apply, applies, initial_answers, next_question, wording
from bot.prescreen.subject import Subject
from bot.understanding.reading import read_reply
from bot.trial.model import Trial
from tests.prescreen_driver import READING_DAY, question_of as question


def asked_ids(trial: Trial, answer_for: dict[str, Any], start: Optional[dict[str, Any]] = None) -> list[str]:
    """Walk the form, answering each question from `answer_for` (default 'no'); the ids asked, in order."""
    answers: dict[str, Any] = dict(start or {})
    asked: list[str] = []
    while (q := next_question(trial, answers)) is not None:
        asked.append(q.id)
        answers[q.id] = answer_for.get(q.id, "no")
        assert len(asked) < 50, "the form never ends"
    return asked


MAN = {"age": 54, "weakness_started": 12.0, "sex": "male", "breathing_support": "none"}
WOMAN = {**MAN, "sex": "female"}


# --- order and branching -----------------------------------------------------
def test_the_form_starts_with_the_diagnosis_and_ends(trial: Trial) -> None:
    first = next_question(trial, {})
    assert first is not None and first.id == "diagnosed"
    assert len(asked_ids(trial, MAN)) <= 16


def test_a_man_is_never_asked_pregnancy_or_birth_control_questions(trial: Trial) -> None:
    asked = asked_ids(trial, MAN)
    assert "sex" in asked
    assert not {"past_childbearing", "pregnant_or_breastfeeding", "two_birth_control"} & set(asked)


def test_a_woman_who_could_become_pregnant_is_asked_both(trial: Trial) -> None:
    asked = asked_ids(trial, {**WOMAN, "past_childbearing": "no"})
    assert {"past_childbearing", "pregnant_or_breastfeeding", "two_birth_control"} <= set(asked)


def test_a_woman_past_menopause_skips_pregnancy_and_birth_control(trial: Trial) -> None:
    asked = asked_ids(trial, {**WOMAN, "past_childbearing": "yes"})
    assert "past_childbearing" in asked
    assert not {"pregnant_or_breastfeeding", "two_birth_control"} & set(asked)


def test_a_woman_unsure_about_menopause_is_still_asked_about_birth_control(trial: Trial) -> None:
    asked = asked_ids(trial, {**WOMAN, "past_childbearing": "unsure"})
    assert "two_birth_control" in asked


def test_riluzole_follow_ups_branch(trial: Trial) -> None:
    taking = asked_ids(trial, {**MAN, "riluzole_taking": "yes", "riluzole_stable": "yes"})
    assert "riluzole_stable" in taking and "riluzole_recent" not in taking
    not_taking = asked_ids(trial, {**MAN, "riluzole_taking": "no"})
    assert "riluzole_recent" in not_taking and "riluzole_stable" not in not_taking
    unsure = asked_ids(trial, {**MAN, "riluzole_taking": "unsure"})
    assert not {"riluzole_stable", "riluzole_recent"} & set(unsure)


def test_my_husband_is_not_asked_his_sex(trial: Trial) -> None:
    husband = Subject.from_relation("my husband")
    asked = asked_ids(trial, MAN, start=initial_answers(trial, husband))
    assert "sex" not in asked and "pregnant_or_breastfeeding" not in asked
    assert initial_answers(trial, Subject.from_relation("my friend")) == {}
    assert initial_answers(trial, Subject.self()) == {}


def test_a_correction_drops_follow_ups_that_no_longer_apply(trial: Trial) -> None:
    answers = {"sex": "female", "past_childbearing": "no", "two_birth_control": "yes", "riluzole_taking": "yes",
               "riluzole_stable": "no"}
    answers.update(sex="male", riluzole_taking="no")
    kept = answers_that_apply(trial, answers)
    assert kept == {"sex": "male", "riluzole_taking": "no"}
    follow_up = next_question(trial, {**kept, "diagnosed": "yes"})
    assert follow_up is not None and follow_up.id == "other_causes_ruled_out"


def test_applies_needs_the_earlier_answer(trial: Trial) -> None:
    stable = question(trial, "riluzole_stable")
    assert not applies(stable, {})
    assert applies(stable, {"riluzole_taking": "yes"})
    assert not applies(stable, {"riluzole_taking": "unsure"})


# --- wording ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("relation", "name", "they", "sex"),
    [
        ("my husband", "your husband", "he", "male"),
        ("Dad", "your dad", "he", "male"),
        ("my son", "your son", "he", "male"),
        ("brother", "your brother", "he", "male"),
        ("my boyfriend", "your boyfriend", "he", "male"),
        ("my wife", "your wife", "she", "female"),
        ("mom", "your mom", "she", "female"),
        ("my mother-in-law", "your mother-in-law", "she", "female"),
        ("daughter", "your daughter", "she", "female"),
        ("my partner", "your partner", "they", None),
        ("a neighbor of mine", "your neighbor", "they", None),
        ("someone", "this person", "they", None),
        (None, "this person", "they", None),
    ],
)
def test_subject_from_relation(relation: Optional[str], name: str, they: str, sex: Optional[str]) -> None:
    subject = Subject.from_relation(relation)
    assert (subject.is_self, subject.name, subject.they, subject.implied_sex) == (False, name, they, sex)


def test_myself_is_the_person_typing() -> None:
    assert Subject.from_relation("myself") == Subject.self()
    assert Subject.self().is_self


def test_questions_read_naturally_for_a_caregiver(trial: Trial) -> None:
    husband = Subject.from_relation("husband")
    assert wording(question(trial, "age"), husband) == "How old is your husband?"
    assert wording(question(trial, "age"), Subject.self()) == "How old are you?"
    assert wording(question(trial, "breathing_support"), Subject.from_relation("mom")).startswith(
        "Does your mom use a machine to help her breathe"
    )
    assert "their weakness" in wording(question(trial, "other_causes_ruled_out"), Subject.from_relation(None))


@pytest.mark.parametrize("relation", [None, "husband", "wife", "friend"])
def test_every_question_fills_in_for_every_subject(trial: Trial, relation: Optional[str]) -> None:
    assert trial.screening is not None
    for subject in (Subject.self(), Subject.from_relation(relation)):
        for q in trial.screening.questions:
            text = wording(q, subject)
            assert text[0].isupper() and "{" not in text and "}" not in text, text
            assert "?" in text, text


def test_the_travel_question_names_the_site_and_the_visits(trial: Trial) -> None:
    text = wording(question(trial, "can_travel"), Subject.self())
    assert "Rochester, Minnesota" in text and "4 visits" in text


def test_yes_no_questions_offer_yes_no_not_sure(trial: Trial) -> None:
    assert trial.screening is not None
    for q in trial.screening.questions:
        if q.kind == "yes_no":
            assert [(b.title, b.value) for b in q.buttons] == [("Yes", "yes"), ("No", "no"), ("Not sure", "unsure")]
    assert [b.value for b in question(trial, "sex").buttons] == ["female", "male"]


def test_consent_says_what_why_where_who_and_how_to_leave(trial: Trial) -> None:
    assert trial.screening is not None
    consent = trial.screening.consent
    for words in ("15 short questions", "random code", "show my answers", "delete my data", "not a medical decision",
                  "study's staff"):
        assert words in consent
    assert len(consent.splitlines()) == 7  # one point per line in the chat


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+|\n+", text) if s]


def test_questions_and_consent_use_short_sentences(trial: Trial) -> None:
    """About 8th-grade reading level: no sentence a person has to read twice."""
    assert trial.screening is not None
    texts = [trial.screening.consent] + [wording(q, Subject.from_relation("wife")) for q in trial.screening.questions]
    for text in texts:
        for sentence in sentences(text):
            assert len(sentence.split()) <= 25, sentence


# --- reading answers ---------------------------------------------------------------
READ_CASES = [
    # age
    ("age", "I'm 54", 54),
    ("age", "fifty four", 54),
    ("age", "he is 67", 67),
    ("age", "17", 17),
    ("age", "turning 70 next month", 69),
    # months since the weakness started
    # (stored as intervals: a plain number was one guessed point, e.g. "2 years ago" = 24)
    ("weakness_started", "about a year and a half ago", {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}),
    ("weakness_started", "18 mos", {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}),
    ("weakness_started", "2 years ago", {"low": 18, "high": 30, "low_open": False, "high_open": False}),
    # a doubted amount is a whole unit either way
    ("weakness_started", "I think about 6 months ago", {"low": 5, "high": 7, "low_open": False, "high_open": False}),
    ("weakness_started", "not sure", "unsure"),
    ("weakness_started", "Not sure", "unsure"),
    # yes / no
    ("diagnosed", "yes", "yes"),
    ("diagnosed", "yep, last year", "yes"),
    ("diagnosed", "nope", "no"),
    ("diagnosed", "not sure", "unsure"),
    ("diagnosed", "idk", "unsure"),
    ("diagnosed", "unsure", "unsure"),
    ("us_resident", "she is", "yes"),
    ("can_travel", "probably not", "unsure"),
    # sex
    ("sex", "female", "female"),
    ("sex", "f", "female"),
    ("sex", "I'm a woman", "female"),
    ("sex", "she's a lady", "female"),
    ("sex", "Male", "male"),
    ("sex", "m", "male"),
    ("sex", "he is a man", "male"),
    ("sex", "guy", "male"),
    # riluzole now
    ("riluzole_taking", "I take Rilutek twice a day", "yes"),
    ("riluzole_taking", "he's on riluzole", "yes"),
    ("riluzole_taking", "takes it daily", "yes"),
    ("riluzole_taking", "he stopped taking it", "no"),
    ("riluzole_taking", "no, he doesn't take it", "no"),
    ("riluzole_taking", "not sure if she still takes it", "unsure"),
    # riluzole in the last 30 days
    ("riluzole_recent", "2 weeks ago", "yes"),
    # "a month ago" is 15 to 46 days: across the 30-day line (it read as exactly 30 days, "no"),
    # so the days are kept and the study team checks
    ("riluzole_recent", "a month ago", {"low": 15.22, "high": 45.66, "low_open": False, "high_open": False}),
    ("riluzole_recent", "over a month ago", "no"),
    ("riluzole_recent", "never took it", "no"),
    ("riluzole_recent", "no, stopped 3 months ago", "no"),
    # edaravone
    ("edaravone_recent", "stopped Radicava 2 weeks ago", "yes"),
    ("edaravone_recent", "stopped it 29 days ago", "yes"),
    # 30 days said is 29.5 to 30.5: on the line, so the study team checks (it read as "no")
    ("edaravone_recent", "stopped it 30 days ago", {"low": 29.5, "high": 30.5, "low_open": False, "high_open": False}),
    ("edaravone_recent", "stopped it 31 days ago", "no"),
    ("edaravone_recent", "he's planning to start Radicava", "yes"),
    ("edaravone_recent", "no, and no plans to", "no"),
    ("edaravone_recent", "never", "no"),
    ("edaravone_recent", "last dose was in January", "no"),
    # immunosuppressants
    ("immunosuppressant_recent", "on prednisone for my RA", "yes"),
    ("immunosuppressant_recent", "stopped 27 days ago", "yes"),
    ("immunosuppressant_recent", "stopped 28 days ago", {"low": 27.5, "high": 28.5, "low_open": False, "high_open": False}),  # on the 28-day line (was "no")
    ("immunosuppressant_recent", "stopped 29 days ago", "no"),
    ("immunosuppressant_recent", "not in the last 2 months", "no"),
    ("immunosuppressant_recent", "haven't taken any in 6 weeks", "no"),
    ("immunosuppressant_recent", "not since March", "no"),
    ("immunosuppressant_recent", "nope", "no"),
    ("immunosuppressant_recent", "methotrexate for RA", "yes"),  # naming its medicine answers it
    # autoimmune disease
    ("autoimmune", "she has RA", "yes"),
    ("autoimmune", "he has Crohn's", "yes"),
    ("autoimmune", "no", "no"),
    # breathing
    ("breathing_support", "he uses bipap at night", "noninvasive"),
    ("breathing_support", "CPAP for sleep apnea", "noninvasive"),
    ("breathing_support", "she has a trach and a ventilator", "ventilator"),
    ("breathing_support", "diaphragm pacer", "pacer"),
    ("breathing_support", "no ventilator, just bipap", "noninvasive"),
    ("breathing_support", "nope", "none"),
    ("breathing_support", "none", "none"),
    ("breathing_support", "he doesn't use a ventilator", "none"),
    ("breathing_support", "not sure", "unsure"),
    ("breathing_support", "BiPAP or CPAP", "noninvasive"),
]


@pytest.mark.parametrize(("question_id", "text", "expected"), READ_CASES)
def test_read_answer(trial: Trial, question_id: str, text: str, expected: Any) -> None:
    assert read_answer(question(trial, question_id), read_reply(text, READING_DAY)) == expected


UNREADABLE = [
    ("age", "old enough"),
    ("weakness_started", "a while"),
    ("weakness_started", "18"),
    ("diagnosed", "blue"),
    ("diagnosed", "yes and no"),
    ("sex", "prefer not to say"),
    ("sex", "he said she was"),
    ("riluzole_taking", "takes baclofen daily"),
    ("riluzole_taking", "yes but he stopped"),
    ("edaravone_recent", "he stopped it"),
    ("immunosuppressant_recent", "since March"),
    ("immunosuppressant_recent", "not in the last week"),
    ("immunosuppressant_recent", "only baclofen"),
    ("immunosuppressant_recent", "methotrexate?"),  # a question, not an answer
    ("breathing_support", "yes"),
    ("breathing_support", "a machine at night"),
    ("riluzole_recent", ""),
    ("riluzole_recent", "   "),
]


@pytest.mark.parametrize(("question_id", "text"), UNREADABLE)
def test_unreadable_answers_are_none(trial: Trial, question_id: str, text: str) -> None:
    assert read_answer(question(trial, question_id), read_reply(text, READING_DAY)) is None


def test_every_question_has_an_example_for_when_an_answer_cannot_be_read(trial: Trial) -> None:
    assert trial.screening is not None
    for q in trial.screening.questions:
        assert q.example.startswith("for example:")


# --- corrections and showing answers ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("change my riluzole answer", "riluzole_taking"),
        ("I got the Rilutek one wrong", "riluzole_taking"),
        ("the riluzole dose did change", "riluzole_stable"),
        ("wait, my age is wrong", "age"),
        ("he is older than that", None),
        ("how old I am was wrong", "age"),
        ("fix the Radicava answer", "edaravone_recent"),
        ("change the weakness one", "weakness_started"),
        ("the symptoms started earlier", "weakness_started"),
        ("the Medrol answer", "immunosuppressant_recent"),
        ("my breathing answer", "breathing_support"),
        ("change my answer", None),
    ],
)
def test_find_question_named(trial: Trial, text: str, expected: Optional[str]) -> None:
    found = find_question_named(trial, read_reply(text, READING_DAY))
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("question_id", "value", "shown"),
    [
        ("diagnosed", "yes", "Yes"),
        ("diagnosed", "unsure", "Not sure"),
        ("age", 54, "54"),
        ("weakness_started", 18.0, "about 18 months ago"),
        ("weakness_started", 1.0, "about 1 month ago"),
        ("weakness_started", 0.5, "less than a month ago"),
        ("weakness_started", 48.0, "about 4 years ago"),
        ("weakness_started", {"low": 18, "high": 30, "low_open": False, "high_open": False}, "18 to 30 months ago"),
        ("weakness_started", {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}, "about 18 months ago"),
        ("weakness_started", {"low": 0, "high": 24, "low_open": False, "high_open": True}, "less than 24 months ago"),
        ("weakness_started", {"low": 12, "high": None, "low_open": True, "high_open": False}, "more than 12 months ago"),
        ("age", {"low": 17, "high": 18, "low_open": False, "high_open": False}, "17 to 18"),
        ("age", {"low": 60, "high": None, "low_open": True, "high_open": False}, "over 60"),
        ("age", {"low": 18, "high": None, "low_open": False, "high_open": False}, "18 or older"),
        ("weakness_started", "unsure", "Not sure"),
        ("sex", "female", "Female"),
        ("breathing_support", "noninvasive", "BiPAP or CPAP"),
        ("breathing_support", "none", "No machine"),
        ("edaravone_recent", "no", "No"),
        ("edaravone_recent", {"low": 15.22, "high": 45.66, "low_open": False, "high_open": False}, "15 to 46 days ago"),
        ("riluzole_recent", {"low": 29.5, "high": 30.5, "low_open": False, "high_open": False}, "about 30 days ago"),
        ("immunosuppressant_recent", {"low": 0, "high": 30, "low_open": False, "high_open": True}, "less than 30 days ago"),
        ("riluzole_recent", {"low": 14, "high": None, "low_open": True, "high_open": False}, "more than 14 days ago"),
        ("age", None, "Not answered yet"),
    ],
)
def test_display_value(trial: Trial, question_id: str, value: Any, shown: str) -> None:
    assert display_value(question(trial, question_id), value) == shown


def test_an_answer_kept_for_a_question_the_trial_no_longer_asks_is_still_read_back_in_words() -> None:
    assert [display_value(None, v) for v in ("unsure", "no", "ventilator")] == ["Not sure", "No", "ventilator"]


# An answer that says the question's own words back is a yes; negated, a no; doubtful or
# about something else, asked again. Typos in long words are forgiven.
@pytest.mark.parametrize("question_id, text, expected", [
    ("diagnosed", "he was diagnosd last year", "yes"),
    ("diagnosed", "Diagnosed in March 2024", "yes"),
    ("diagnosed", "the neurologist said probable ALS", "yes"),
    ("diagnosed", "she hasn't been diagnosed yet", "no"),
    ("diagnosed", "diagnosed with something else, not als", "no"),
    ("other_causes_ruled_out", "he had an EMG and they ruled out everything else", "yes"),
    ("other_causes_ruled_out", "which tests?", None),
    ("past_childbearing", "went through menopause years ago", "yes"),
    ("us_resident", "I'm an American citizen", "yes"),
    ("us_resident", "born in the USA", "yes"),
    ("us_resident", "we live in the USA", None),  # living there is not citizenship or residency
    ("us_resident", "I'm a Canadian citizen", None),
    ("can_travel", "we can travel there, my son drives", "yes"),
    ("can_travel", "travel is hard for him", None),
    ("can_travel", "he can't travel", "no"),
    ("can_travel", "we can drive there", "yes"),
    ("other_causes_ruled_out", "had all the tests", "yes"),
    ("us_resident", "he's american", "yes"),
    ("us_resident", "born here", "yes"),
    ("us_resident", "he is a citizen", "yes"),
    ("us_resident", "south american", None),
    ("other_drug_trial", "he's in the healey trial", "yes"),
    ("can_travel", "she could fly in", "yes"),
    ("can_travel", "we cant drive that far", "no"),
    ("other_drug_trial", "he is in another trial right now", "yes"),
    ("other_drug_trial", "not in any trial", "no"),
    ("other_drug_trial", "yes, not a problem", "yes"),  # "not a problem" says yes
    ("other_drug_trial", "yes, not in the last month", None),
    ("can_travel", "can't travel much, he's in a wheelchair but my son can drive him", None),
    ("can_travel", "no, we can't, but thanks", "no"),
])
def test_a_restated_question_is_read_as_yes(trial: Trial, question_id: str, text: str, expected: Any) -> None:
    assert read_answer(question(trial, question_id), read_reply(text, READING_DAY)) == expected


# "Has the dose stayed the same for 30 days?" is answered with how long, or with a change.
@pytest.mark.parametrize("text, expected", [
    ("about 8 months now, same dose", "yes"),
    ("same dose for a year", "yes"),
    ("since January", "yes"),
    ("for 2 weeks", "no"),
    ("she just started it 2 weeks ago", "no"),
    ("it hasn't changed", "yes"),
    ("no change", "yes"),
    ("nothing has changed", "yes"),
    ("hasnt been adjusted", "yes"),
    ("no, they changed it last week", "no"),
    ("they increased it 10 days ago", "no"),
    ("they upped it back in January", "yes"),  # a change long enough ago is a steady dose now
    ("it changed", "no"),
    ("yes it changed", None),  # says both: asked again
    ("the same", "yes"),
    ("not the same", "no"),
    ("50 mg twice a day", None),  # how often is not how long
    ("yes, 50 mg twice a day", "yes"),
    ("not sure", "unsure"),
])
def test_a_steady_dose_is_read_from_how_long_or_from_a_change(trial: Trial, text: str, expected: Any) -> None:
    assert read_answer(question(trial, "riluzole_stable"), read_reply(text, READING_DAY)) == expected


# --- the words for taking, stopping and planning a medicine, and for a sex, are data --------------
def _with_lexicon(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    """Reads answers with data/lexicon.yml changed by `change`, as a reviewer would edit it."""
    import yaml

    import bot.prescreen.kinds.medicine_use
    import bot.prescreen.kinds.sex
    from bot.understanding.lexicon import DEFAULT_LEXICON_PATH, parse_lexicon

    raw = yaml.safe_load(DEFAULT_LEXICON_PATH.read_text(encoding="utf-8"))
    change(raw)
    lexicon = parse_lexicon(raw)
    for module in (bot.prescreen.kinds.medicine_use, bot.prescreen.kinds.sex):
        monkeypatch.setattr(module, "load_lexicon", lambda: lexicon)


def test_a_stop_phrase_added_to_the_lexicon_is_read(trial: Trial, monkeypatch: pytest.MonkeyPatch) -> None:
    taking = question(trial, "riluzole_taking")
    assert read_answer(taking, read_reply("he tapered it", READING_DAY)) is None
    _with_lexicon(monkeypatch, lambda raw: raw["medicine_use"]["stopped"].append("tapered"))
    assert read_answer(taking, read_reply("he tapered it", READING_DAY)) == "no"


def test_a_plan_phrase_added_to_the_lexicon_is_read(trial: Trial, monkeypatch: pytest.MonkeyPatch) -> None:
    edaravone = question(trial, "edaravone_recent")
    assert read_answer(edaravone, read_reply("the neurologist has it lined up for him", READING_DAY)) is None
    _with_lexicon(monkeypatch, lambda raw: raw["medicine_use"]["plans"].append("lined up"))
    assert read_answer(edaravone, read_reply("the neurologist has it lined up for him", READING_DAY)) == "yes"


def test_a_sex_word_added_to_the_lexicon_is_read(trial: Trial, monkeypatch: pytest.MonkeyPatch) -> None:
    sex = question(trial, "sex")
    assert read_answer(sex, read_reply("a gal", READING_DAY)) is None
    _with_lexicon(monkeypatch, lambda raw: raw["sex_words"]["female"].append("gal"))
    assert read_answer(sex, read_reply("a gal", READING_DAY)) == "female"


def test_a_lone_letter_for_a_sex_is_data_and_counts_only_as_the_whole_answer(
    trial: Trial, monkeypatch: pytest.MonkeyPatch
) -> None:
    sex = question(trial, "sex")
    assert read_answer(sex, read_reply("f", READING_DAY)) == "female"
    assert read_answer(sex, read_reply("plan f", READING_DAY)) is None  # a letter in a sentence says nothing
    assert read_answer(sex, read_reply("w", READING_DAY)) is None
    _with_lexicon(monkeypatch, lambda raw: raw["sex_words"]["alone"]["female"].append("w"))
    assert read_answer(sex, read_reply("w", READING_DAY)) == "female"


@pytest.mark.parametrize("change", [
    lambda raw: raw["medicine_use"].update({"stoped": ["halted"]}),  # a misspelt kind
    lambda raw: raw["sex_words"]["male"].append("she"),  # one word for both
    lambda raw: raw["sex_words"]["alone"]["male"].append("f"),  # one whole answer for both
    lambda raw: raw["medicine_use"]["current"].append(None),
])
def test_a_malformed_medicine_or_sex_vocabulary_is_refused(change: Any) -> None:
    import yaml

    from bot.understanding.lexicon import DEFAULT_LEXICON_PATH, parse_lexicon

    raw = yaml.safe_load(DEFAULT_LEXICON_PATH.read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(ValueError):
        parse_lexicon(raw)


# --- an answer that says more than yes or no is read -----------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("he started it last week", "yes"),  # a start, not stopped since: taking it now
    ("they just put her on riluzole", "yes"),
    ("been on it since 2023", "yes"),
    ("the doctor started him on Rilutek in March", "yes"),
    ("she began taking it in January", "yes"),
    ("he never started it", "no"),  # a start negated where it stands
    ("hasn't started it yet", "no"),
    ("he will take riluzole next month", None),  # a plan says nothing about now
    ("he started baclofen last week", None),  # another medicine's start
    ("he stopped baclofen", None),  # another medicine's stop
    ("I think he started it last week", "unsure"),
])
def test_taking_riluzole_now_is_read_from_a_start_or_a_stop(trial: Trial, text: str, expected: Any) -> None:
    assert read_answer(question(trial, "riluzole_taking"), read_reply(text, READING_DAY)) == expected


@pytest.mark.parametrize("text, today, expected", [
    ("same dose for ages", READING_DAY, "yes"),
    ("stable since spring", date(2025, 12, 2), "yes"),  # since March to May: 6 months or more
    ("stable since spring", date(2025, 4, 10), "unsure"),  # since 1 March to 10 April: 0 to 40 days
    ("started it last week", READING_DAY, "no"),  # not on any dose for 30 days yet
    ("started it 3 months ago", READING_DAY, "yes"),
    ("they upped it 2 weeks ago", READING_DAY, "no"),
    ("they upped it 2 months ago", READING_DAY, "yes"),
    ("changed it about a month ago", READING_DAY, "unsure"),  # 15 to 46 days: either side of 30
    ("the dose went up", READING_DAY, "no"),
    ("they doubled it in March", READING_DAY, "yes"),
    ("probably the same", READING_DAY, "unsure"),
    ("I think it's been the same for a year", READING_DAY, "unsure"),
])
def test_a_steady_dose_is_read_from_a_start_a_change_or_a_span(
    trial: Trial, text: str, today: date, expected: Any
) -> None:
    assert read_answer(question(trial, "riluzole_stable"), read_reply(text, today)) == expected


@pytest.mark.parametrize("question_id, text, expected", [
    ("immunosuppressant_recent", "he will start prednisone next week", None),  # not taken yet
    ("riluzole_recent", "the neurologist wants to start riluzole again soon", None),
    ("edaravone_recent", "he will start Radicava next week", "yes"),  # this one counts plans
])
def test_a_plan_is_a_yes_only_where_the_question_counts_plans(
    trial: Trial, question_id: str, text: str, expected: Any
) -> None:
    assert read_answer(question(trial, question_id), read_reply(text, READING_DAY)) == expected
