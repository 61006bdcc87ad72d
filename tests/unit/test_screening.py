"""The pre-screen conversation, turn by turn, as a person meets it.

Each test drives `step()` and `prompt()` like the Rasa form does: the state goes
through JSON between turns (it lives in a slot), and what is asserted is what a
person would notice: the question asked, the words used, the buttons offered,
and the answers kept.
"""
from __future__ import annotations

from typing import Any

import pytest

from bot.trial import replies
from bot.prescreen.resume import can_resume, resume_state
from bot.prescreen.eligibility import evaluate, verdict
from bot.messages import WORDS
from bot.prescreen.stage_replies.review import reopen_for_correction
from bot.prescreen.state import ASKING, CONSENT, DECLINED, DELETE_REQUESTED, DONE, FOR_WHOM, REVIEW, RULED_OUT, STOPPED, Reply, current_question
from bot.trial.model import Trial
from tests.prescreen_driver import ELIGIBLE_MAN, READING_DAY, Chat as StepChat

PREGNANCY_QUESTIONS = {"past_childbearing", "pregnant_or_breastfeeding", "two_birth_control"}
NOT_READ = "Sorry, I couldn't read that answer."


class Chat(StepChat):
    """A pre-screen of the trial, as of READING_DAY (tests/prescreen_driver.py)."""

    def __init__(self, trial: Trial, opening: str = "Can I join the study?") -> None:
        super().__init__(trial, READING_DAY, opening)


def result(trial: Trial, chat: Chat) -> tuple[str, dict[str, str]]:
    results = evaluate(trial, chat.answers)
    return verdict(results), {r.id: r.status for r in results}


# ---------------------------------------------------------------------------
# Consent
# ---------------------------------------------------------------------------
def test_consent_comes_first_with_what_is_kept_and_two_buttons(trial: Trial) -> None:
    chat = Chat(trial)
    assert chat.state.stage == CONSENT
    assert chat.prompt is not None and chat.prompt.text is not None
    assert trial.screening is not None
    assert chat.prompt.text.startswith(trial.screening.consent)
    assert chat.prompt.text.endswith("Do you agree to answer these questions?")
    assert "delete my data" in chat.prompt.text
    assert chat.buttons() == ["Yes, I agree", "No thanks"]
    # A button sends its own title, so it reads the same as typing it.
    assert all(b["payload"] == b["title"] for b in chat.prompt.buttons)


@pytest.mark.parametrize("no", ["no", "No thanks", "nope, not now", "stop"])
def test_saying_no_to_consent_asks_no_health_question_and_ends(trial: Trial, no: str) -> None:
    chat = Chat(trial)
    said = chat.say(no)
    assert chat.state.stage == DECLINED
    assert chat.state.finished
    assert chat.prompt is None and chat.asked == []
    assert chat.answers == {}
    assert [r.text for r in said] == [WORDS["declined"]]
    assert "nothing was saved" in said[0].text  # type: ignore[operator]


def test_an_unclear_reply_to_consent_asks_again_for_yes_or_no(trial: Trial) -> None:
    chat = Chat(trial)
    said = chat.say("hmm what")
    assert [r.text for r in said] == [WORDS["consent_retry"]]
    assert chat.state.stage == CONSENT
    assert chat.buttons() == ["Yes, I agree", "No thanks"]


def test_a_third_unclear_reply_to_consent_gives_the_contact_route_and_asks_again(trial: Trial) -> None:
    chat = Chat(trial)
    assert not any(r.handoff for r in chat.say("hmm what") + chat.say("???"))
    said = chat.say("zzz")
    assert [r.handoff for r in said] == ["repeated_failure", None]
    assert chat.state.stage == CONSENT and chat.state.answers == {}
    assert chat.buttons() == ["Yes, I agree", "No thanks"]
    chat.agree()
    assert chat.state.misses == 0


def test_a_trial_question_before_consent_is_answered_and_consent_asked_again(trial: Trial) -> None:
    chat = Chat(trial)
    said = chat.say("Is there a placebo?", "ask_placebo", 0.95)
    placebo = replies.answer_question(trial, "placebo")
    assert placebo is not None
    assert said[0].text == placebo.text
    assert said[-1].text == "Now, back to the questions."
    assert chat.state.stage == CONSENT
    assert chat.answers == {}


@pytest.mark.parametrize("agree", ["I agree", "agreed", "go ahead", "sounds good", "ok lets do it", "k", "ready"])
def test_agreeing_in_words_is_consent_even_when_nlu_is_unsure(trial: Trial, agree: str) -> None:
    chat = Chat(trial, "am I eligible?")
    chat.say(agree, "affirm", 0.5)
    assert chat.question == "diagnosed"


@pytest.mark.parametrize("unclear", ["I agree it's confusing, but no", "i dont agree", "i guess"])
def test_agreeing_words_inside_a_refusal_or_a_doubt_are_not_consent(trial: Trial, unclear: str) -> None:
    chat = Chat(trial, "am I eligible?")
    chat.say(unclear)
    assert chat.state.stage in (CONSENT, DECLINED)
    assert chat.answers == {} and chat.asked == []


def test_affirm_intent_counts_as_consent(trial: Trial) -> None:
    chat = Chat(trial, "am I eligible?")
    chat.say("sure thing", "affirm", 0.93)
    assert chat.question == "diagnosed"


# ---------------------------------------------------------------------------
# For whom
# ---------------------------------------------------------------------------
def test_checking_for_my_dad_skips_for_whom_and_words_questions_about_him(trial: Trial) -> None:
    chat = Chat(trial, "check if my dad qualifies")
    chat.agree()
    assert chat.state.stage == ASKING  # no "Who are these questions about?"
    assert chat.prompt is not None and chat.prompt.text is not None
    assert chat.prompt.text.startswith("Has a doctor diagnosed your dad with ALS")
    chat.say("yes")
    assert "your dad's doctors" in chat.said() and "of his weakness" in chat.said()
    chat.answer_until("breathing_support")
    assert "help him breathe" in chat.said()
    assert " you " not in f" {chat.prompt.text} "  # type: ignore[union-attr]


def test_a_dad_is_never_asked_his_sex_or_about_pregnancy(trial: Trial) -> None:
    chat = Chat(trial, "check if my dad qualifies").agree().answer_all({})
    assert "sex" not in chat.asked
    assert not PREGNANCY_QUESTIONS & set(chat.asked)
    assert chat.answers["sex"] == "male"


def test_opening_for_myself_skips_for_whom_and_says_you(trial: Trial) -> None:
    chat = Chat(trial, "am I eligible?").agree()
    assert chat.prompt is not None
    assert chat.prompt.text == (
        'Has a doctor diagnosed you with ALS (amyotrophic lateral sclerosis)? "Possible" or "probable" ALS counts too.'
    )
    assert chat.buttons() == ["Yes", "No", "Not sure"]


def test_without_a_subject_it_asks_who_the_questions_are_about(trial: Trial) -> None:
    chat = Chat(trial, "check eligibility").agree()
    assert chat.state.stage == FOR_WHOM
    assert chat.prompt is not None and chat.prompt.text == "Who are these questions about?"
    assert chat.buttons() == ["Me", "Someone I care for"]
    chat.say("the weather")
    assert chat.prompt.text.startswith("Please tell me who the questions are about")
    chat.say("my husband")
    assert chat.prompt is not None and "diagnosed your husband" in (chat.prompt.text or "")


@pytest.mark.parametrize(
    ("who", "phrase"),
    [("Me", "diagnosed you with"), ("myself", "diagnosed you with"),
     ("Someone I care for", "diagnosed this person with"), ("my mom", "diagnosed your mom with"),
     ("me, the patient", "diagnosed you with"), ("I'm the one with ALS", "diagnosed you with"),
     ("my hubby", "diagnosed your hubby with"), ("for my other half", "diagnosed your other half with"),
     ("the person i look after", "diagnosed this person with"), ("my patient", "diagnosed your patient with")],
)
def test_for_whom_answers(trial: Trial, who: str, phrase: str) -> None:
    chat = Chat(trial, "check eligibility").agree()
    chat.say(who)
    assert chat.state.stage == ASKING
    assert phrase in (chat.prompt.text or "")  # type: ignore[union-attr]


@pytest.mark.parametrize(("reply", "is_self"), [
    ("he was diagnosed in august", False), ("she was diagnosed last year", False),
    ("I was diagnosed last year", True),
])
def test_for_whom_told_in_a_sentence_is_read_from_its_pronouns_and_answers_the_first_question(
    trial: Trial, reply: str, is_self: bool,
) -> None:
    chat = Chat(trial, "start over").agree()
    assert chat.state.stage == FOR_WHOM
    chat.say(reply)
    assert chat.state.stage == ASKING and chat.state.is_self is is_self
    assert chat.answers["diagnosed"] == "yes" and chat.question == "other_causes_ruled_out"


def test_he_or_she_in_a_sentence_about_whom_words_the_questions_and_skips_the_sex_question(
    trial: Trial,
) -> None:
    chat = Chat(trial, "start over").agree()
    chat.say("she was diagnosed in august")
    assert chat.answers["sex"] == "female"
    assert "her weakness" in (chat.prompt.text or "")  # type: ignore[union-attr]


def test_someone_i_care_for_learns_he_or_she_from_an_answer_that_starts_with_it(trial: Trial) -> None:
    chat = Chat(trial, "check eligibility").agree()
    chat.say("Someone I care for")
    chat.say("yes, the doctor said he thinks so")  # "he" is the doctor here
    assert "sex" not in chat.answers and chat.state.relation is None
    chat.say("yes")
    chat.say("last year")
    chat.say("she is 71")
    assert chat.answers["age"] == 71 and chat.answers["sex"] == "female"
    assert chat.question == "past_childbearing"


@pytest.mark.parametrize("reply", ["yes", "for my mom, yes"])
def test_a_bare_yes_to_for_whom_answers_no_question(trial: Trial, reply: str) -> None:
    chat = Chat(trial, "check eligibility").agree()
    chat.say(reply)
    assert "diagnosed" not in chat.answers


# ---------------------------------------------------------------------------
# Who is asked what
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("man", ["male", "Male", "I'm a man", "m"])
def test_a_man_is_never_asked_pregnancy_questions(trial: Trial, man: str) -> None:
    chat = Chat(trial).agree().answer_all({"sex": man})
    assert "sex" in chat.asked
    assert not PREGNANCY_QUESTIONS & set(chat.asked)
    assert chat.answers["sex"] == "male"


def test_a_woman_before_menopause_is_asked_about_pregnancy_and_birth_control(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_all(
        {"sex": "female", "past_childbearing": "no", "pregnant_or_breastfeeding": "no", "two_birth_control": "yes"}
    )
    assert PREGNANCY_QUESTIONS <= set(chat.asked)


# ---------------------------------------------------------------------------
# Free-text answers
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        ("age", "I'm 54", 54),
        ("age", "fifty four", 54),
        # an amount is stored as the interval it stands for (it was one number: 18.0)
        ("weakness_started", "about a year and a half ago", {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}),
        ("weakness_started", "18 mos", {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}),
        ("riluzole_taking", "I take Rilutek twice a day", "yes"),
        ("edaravone_recent", "stopped Radicava 2 weeks ago", "yes"),
        ("edaravone_recent", "never", "no"),
        ("immunosuppressant_recent", "on prednisone for my RA", "yes"),
        ("breathing_support", "BiPAP at night", "noninvasive"),
        ("diagnosed", "Not sure", "unsure"),
    ],
)
def test_free_text_answers_are_read(trial: Trial, question: str, typed: str, stored: Any) -> None:
    chat = Chat(trial).agree().answer_until(question)
    chat.say(typed)
    assert chat.answers[question] == stored
    assert chat.question != question
    assert NOT_READ not in chat.said()


def test_taking_rilutek_leads_to_the_dose_question_not_the_stopped_one(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    chat.say("I take Rilutek twice a day")
    assert chat.question == "riluzole_stable"
    assert chat.prompt is not None and chat.prompt.text == "Has your riluzole dose stayed the same for the last 30 days?"


# ---------------------------------------------------------------------------
# Answers that cannot be read
# ---------------------------------------------------------------------------
def test_an_unreadable_answer_asks_again_once_with_the_example_then_is_taken_as_not_sure(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    assert chat.prompt is not None and chat.prompt.text == "How old are you?" and chat.buttons() == []

    chat.say("purple")
    assert chat.question == "age" and "age" not in chat.answers
    assert chat.prompt is not None
    assert chat.prompt.text == f"{NOT_READ} How old are you? (for example: 54)"
    assert chat.buttons() == ["Not sure"]

    said = chat.say("banana")
    assert chat.answers["age"] == "unsure"
    assert said[0].text == 'Thanks. I\'m still not sure how to read that, so I\'ve marked "Age" as not sure. ' \
                           "The study team will check it with you."
    assert not any(r.handoff for r in said)
    assert chat.question == "sex"
    assert chat.prompt is not None and NOT_READ not in (chat.prompt.text or "")  # misses start again


def test_unreadable_answers_never_hand_the_person_off(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    said = [r for typed in ("purple", "banana", "zzz", "qqq", "www", "eee") for r in chat.say(typed)]
    assert not any(r.handoff for r in said)
    assert chat.answers["age"] == "unsure" and chat.answers["sex"] == "unsure"
    assert chat.answers["us_resident"] == "unsure"  # sex not read: no pregnancy questions asked
    result = {r.id: r.status for r in evaluate(trial, chat.answers)}
    assert result["age_18_plus"] == result["birth_control"] == result["us_resident"] == "unknown"


def test_an_answer_between_misses_starts_the_count_again(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("purple")
    chat.say("banana")
    chat.say("54")
    assert chat.question == "sex"
    assert not any(r.handoff for r in chat.say("blue") + chat.say("green"))


def test_a_third_unreadable_reply_to_for_whom_also_gives_the_contact_route(trial: Trial) -> None:
    chat = Chat(trial, opening="check eligibility").agree()
    assert chat.state.stage == FOR_WHOM
    said = chat.say("hmm") + chat.say("qwerty") + chat.say("zzz")
    assert [r.handoff for r in said] == ["repeated_failure", None]
    assert chat.state.stage == FOR_WHOM


def test_not_sure_is_not_offered_twice_when_the_question_already_has_it(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("weakness_started")
    chat.say("blue")
    assert chat.buttons() == ["Not sure"]


def test_stop_after_a_miss_stops(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("purple")
    chat.say("Stop")
    assert chat.state.stage == STOPPED


@pytest.mark.parametrize("unsure", ["not sure", "I don't know", "idk"])
def test_a_typed_not_sure_is_recorded_even_where_there_is_no_button(trial: Trial, unsure: str) -> None:
    chat = Chat(trial).agree().answer_until("age")
    said = chat.say(unsure)  # "Not sure" is a button only after a miss; typing it works before
    assert chat.answers["age"] == "unsure" and chat.question == "sex"
    assert "marked" not in " ".join(r.text or "" for r in said)  # their own answer, not one we could not read


# ---------------------------------------------------------------------------
# Corrections, start over, stop, show, delete
# ---------------------------------------------------------------------------
def test_actually_im_45_on_a_later_question_updates_the_age(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("autoimmune")
    assert chat.answers["age"] == 54
    said = chat.say("actually I'm 45")
    assert [r.text for r in said] == ["Thanks, I've changed that answer. Age: 45."]
    assert chat.answers["age"] == 45
    assert chat.question == "autoimmune"  # and the question that was open is asked again
    assert "autoimmune" not in chat.answers


def test_change_my_riluzole_answer_asks_it_again_and_its_follow_up_changes(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("autoimmune")
    assert chat.answers["riluzole_stable"] == "yes"
    said = chat.say("change my riluzole answer")
    assert [r.text for r in said] == ["Sure, let's go back to that question."]
    assert chat.question == "riluzole_taking"
    assert "riluzole_taking" not in chat.answers and "riluzole_stable" not in chat.answers
    chat.say("no")
    assert chat.question == "riluzole_recent"  # the follow-up for someone not taking it
    chat.say("stopped Rilutek 2 months ago")
    assert chat.answers["riluzole_recent"] == "no"
    assert chat.question == "autoimmune"  # back where the person was


def test_a_correction_that_rules_the_person_out_is_announced(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("us_resident")
    said = chat.say("actually I'm 16")
    assert chat.answers["age"] == 16
    assert "The study is for people 18 or older." in said[-1].text  # type: ignore[operator]
    assert chat.state.stage == RULED_OUT


def test_start_over_clears_the_answers_and_asks_the_first_question(trial: Trial) -> None:
    chat = Chat(trial, "check if my dad qualifies").agree().answer_until("can_travel")
    said = chat.say("can we start over?")
    assert [r.text for r in said] == ["OK, let's start the questions again from the beginning."]
    assert chat.question == "diagnosed"
    assert chat.answers == {"sex": "male"}  # what "my dad" says is kept
    assert "your dad" in (chat.prompt.text or "")  # type: ignore[union-attr]


def test_start_over_after_being_ruled_out_lets_them_answer_again(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("16")
    assert chat.state.stage == RULED_OUT
    chat.say("start over")
    assert chat.state.stage == ASKING and chat.question == "diagnosed"
    chat.answer_until("age")
    said = chat.say("16")
    assert "18 or older" in said[-1].text  # type: ignore[operator]  # said again, not swallowed


def test_stop_ends_the_questions_and_keeps_the_answers(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("sex")
    said = chat.say("stop")
    assert chat.state.stage == STOPPED and chat.state.finished
    assert said[0].text == WORDS["stopped"]
    assert '"delete my data"' in said[0].text and '"carry on"' in said[0].text  # type: ignore[operator]
    assert said[0].buttons == [{"title": "Carry on", "payload": "/resume_prescreen"}]
    assert chat.answers["age"] == 54
    # Carried on later, it asks the same question again, with every answer kept.
    state = chat.state
    assert can_resume(state)
    resume_state(state)
    assert state.stage == ASKING and current_question(trial, state).id == "sex"  # type: ignore[union-attr]
    assert state.answers["age"] == 54


def test_show_my_answers_lists_them_and_asks_the_same_question_again(trial: Trial) -> None:
    chat = Chat(trial, "check if my dad qualifies").agree()
    said = chat.say("show my answers")
    assert [r.text for r in said] == ["Here are the answers so far:\n- Sex at birth: Male"]
    chat.answer_until("us_resident", {"weakness_started": "about a year ago"})
    before = chat.state.to_dict()
    said = chat.say("can I see my answers?")
    assert said[0].text.splitlines() == [  # type: ignore[union-attr]
        "Here are the answers so far:",
        "- ALS diagnosis: Yes",
        "- Other causes ruled out: Yes",
        "- When the weakness started: 6 to 18 months ago",  # "about a year ago", as read
        "- Age: 54",
        "- Sex at birth: Male",
    ]
    assert chat.state.to_dict() == before
    assert chat.question == "us_resident"


def test_show_my_answers_with_none_yet(trial: Trial) -> None:
    chat = Chat(trial, "am I eligible").agree()
    said = chat.say("show my answers")
    assert [r.text for r in said] == ["There are no answers saved yet."]


@pytest.mark.parametrize("at", ["consent", "diagnosed", "riluzole_taking"])
def test_delete_my_data_ends_the_form_at_any_point(trial: Trial, at: str) -> None:
    chat = Chat(trial)
    if at != "consent":
        chat.agree().answer_until(at)
    said = chat.say("please delete my data")
    assert said == []
    assert chat.state.stage == DELETE_REQUESTED and chat.state.finished
    assert chat.prompt is None


def test_i_forget_is_an_answer_not_a_request_to_delete(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("weakness_started")
    chat.say("I forget, ask me later")
    assert chat.state.stage == ASKING
    assert chat.question == "weakness_started"


# ---------------------------------------------------------------------------
# Trial questions mid-form, emergencies
# ---------------------------------------------------------------------------
def test_a_trial_question_mid_form_is_answered_then_the_same_question_asked(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("can_travel")
    asked = chat.prompt
    said = chat.say("wait, is there a placebo?", "ask_placebo", 0.95)
    placebo = replies.answer_question(trial, "placebo")
    assert placebo is not None
    assert said[0].text == placebo.text and said[0].custom == placebo.payload()
    assert said[1].text == "Now, back to the questions."
    assert chat.question == "can_travel" and "can_travel" not in chat.answers
    assert chat.prompt == asked  # no "Sorry, I couldn't read that"


def test_an_unsure_guess_at_a_trial_question_is_not_answered(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("can_travel")
    said = chat.say("is there a placebo?", "ask_placebo", 0.4)
    assert said == []
    assert NOT_READ in (chat.prompt.text or "")  # type: ignore[union-attr]


def test_a_medicine_question_on_the_medicine_question_is_not_taken_as_an_answer(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    said = chat.say("Can I keep taking riluzole?", "ask_medications", 0.95)
    assert "Riluzole" in (said[0].text or "")
    assert said[-1].text == "Now, back to the questions."
    assert "riluzole_taking" not in chat.answers
    assert chat.question == "riluzole_taking"


@pytest.mark.parametrize("at", ["consent", "for_whom", "age", "ruled_out"])
def test_an_emergency_gets_emergency_guidance_at_any_point(trial: Trial, at: str) -> None:
    chat = Chat(trial, "check eligibility")
    if at == "for_whom":
        chat.agree()
    elif at == "age":
        chat.agree().say("me")
        chat.answer_until("age")
    elif at == "ruled_out":
        chat.agree().say("me")
        chat.answer_until("age").say("16")
    before = chat.state.to_dict()
    said = chat.say("he is choking and can't breathe", "emergency", 0.9)
    assert said == [Reply(response="utter_emergency")]
    assert chat.state.to_dict() == before  # nothing recorded from it; the form goes on


# ---------------------------------------------------------------------------
# Ruled out mid-form
# ---------------------------------------------------------------------------
def test_age_16_is_announced_kindly_with_its_reason_and_offers_finish_or_stop(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    said = chat.say("16")
    assert len(said) == 2
    assert said[0].text == "Got it: Age: 16."
    assert said[1].text == (
        "Thank you for telling me. Based on that answer, you may not be able to join this study:\n"
        "- The study is for people 18 or older."
    )
    assert chat.state.stage == RULED_OUT
    assert chat.prompt is not None and "finish the questions anyway" in (chat.prompt.text or "")
    assert chat.buttons() == ["Finish the questions", "Stop here"]


def test_finishing_after_being_ruled_out_asks_the_rest_and_ends(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("16")
    chat.say("Finish the questions")
    assert chat.state.stage == ASKING and chat.question == "sex"
    chat.answer_all({})
    assert chat.state.stage == DONE
    outcome, statuses = result(trial, chat)
    assert outcome == "likely_not_eligible"
    assert statuses["age_18_plus"] == "fail"
    assert [s for s in statuses.values() if s == "fail"] == ["fail"]


def test_radicava_two_weeks_ago_is_announced_for_a_caregiver(trial: Trial) -> None:
    chat = Chat(trial, "is my dad eligible?").agree().answer_until("edaravone_recent")
    said = chat.say("stopped Radicava 2 weeks ago")
    assert said[0].text.startswith("Got it: Edaravone (Radicava) in the last 30 days or planned: Yes.")
    assert said[1].text == (
        "Thank you for telling me. Based on that answer, your dad may not be able to join this study:\n"
        "- Edaravone (Radicava) cannot be taken within 30 days of screening or during the study."
    )
    assert chat.buttons() == ["Finish the questions", "Stop here"]


@pytest.mark.parametrize("stop", ["Stop here", "stop", "no"])
def test_stopping_after_being_ruled_out_ends_so_the_result_can_be_shown(trial: Trial, stop: str) -> None:
    chat = Chat(trial).agree().answer_until("edaravone_recent")
    chat.say("stopped Radicava 2 weeks ago")
    chat.say(stop)
    assert chat.state.stage == DONE  # the verdict, with its reason, comes next
    outcome, statuses = result(trial, chat)
    assert outcome == "likely_not_eligible" and statuses["edaravone_30_days"] == "fail"
    assert statuses["immunosuppressant_4_weeks"] == "unknown"  # never asked


def test_a_slip_that_ruled_them_out_can_be_corrected(trial: Trial) -> None:
    chat = Chat(trial, "can my partner join?").agree().answer_until("age")
    chat.say("16")
    assert chat.state.stage == RULED_OUT
    said = chat.say("sorry, that was wrong. actually she is 61")
    assert said[0].text == "Thanks, I've changed that answer. Age: 61."
    assert chat.answers["age"] == 61
    assert chat.state.stage == ASKING and chat.question == "sex"


def test_a_date_remembered_later_fills_the_earlier_not_sure(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("weakness_started")
    chat.say("not sure")
    assert chat.question == "age"
    said = chat.say("it started with my foot dragging maybe 14 months back")
    assert said[0].text == "Thanks, I've changed that answer. When the weakness started: 13 to 15 months ago."
    assert chat.answers["weakness_started"] == {"low": 13, "high": 15, "low_open": False, "high_open": False}
    assert "age" not in chat.answers
    assert chat.question == "age"  # the question that was open is asked again
    chat.say("54")
    assert chat.answers["age"] == 54


def test_an_earlier_answer_named_again_is_changed_without_saying_actually(trial: Trial) -> None:
    chat = Chat(trial, "is my mom eligible").agree().answer_until("age")
    said = chat.say("her weakness began in early 2024")
    assert said[0].text.startswith("Thanks, I've changed that answer. When the weakness started:")
    # January to April 2024
    assert chat.answers["weakness_started"] == {"low": 13.5, "high": 17.47, "low_open": False, "high_open": False}
    assert chat.question == "age"


def test_a_hedge_with_a_number_the_question_cannot_read_is_asked_again_not_unsure(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("purple")
    chat.say("maybe 14 months back")  # ("maybe 60 or 65" is an age now: 59 to 66)
    # A time cannot be an age: it is read as a new answer to the time just read back, and said so.
    assert "age" not in chat.answers
    assert chat.said().startswith("Thanks, I've changed that answer. When the weakness started: 13 to 15 months ago.")
    chat.say("I think so")  # a hedge alone is still "not sure"
    assert chat.answers["age"] == "unsure"


@pytest.mark.parametrize("text", [
    "what does that mean?", "I don't understand the question", "dont know what that means",
    "why do you ask", "why do you need to know that?", "huh?", "can you explain please",
])
def test_what_does_that_mean_explains_the_question_from_the_studys_rules(trial: Trial, text: str) -> None:
    chat = Chat(trial).agree().answer_until("other_causes_ruled_out")
    said = chat.say(text, "ask_phase", 0.9)  # NLU may take it for any trial question
    rule = next(c.summary for c in trial.criteria if c.id == "pure_motor_syndrome")
    assert len(said) == 1 and rule in (said[0].text or "")
    assert "not sure" in (said[0].text or "")
    assert "other_causes_ruled_out" not in chat.answers and chat.state.misses == 0
    assert chat.question == "other_causes_ruled_out"  # asked again after the explanation


def test_why_the_sex_question_is_asked_names_both_pregnancy_rules(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("sex")
    text = chat.say("why?")[0].text or ""
    assert "To take part: Women: past menopause" in text
    assert "Not able to take part: Pregnant or breastfeeding." in text


@pytest.mark.parametrize("text", ["I don't know", "not sure what year it was", "why not"])
def test_not_knowing_the_answer_is_not_asking_what_the_question_means(trial: Trial, text: str) -> None:
    chat = Chat(trial).agree().answer_until("other_causes_ruled_out")
    chat.say(text)
    assert chat.question != "other_causes_ruled_out"  # answered ("not sure", or yes for "why not")


def test_answering_the_next_question_instead_of_finish_or_stop_finishes_the_questions(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("weakness_started")
    chat.say("3 years ago")
    assert chat.state.stage == RULED_OUT and chat.buttons() == ["Finish the questions", "Stop here"]
    chat.say("33")  # the age: they want to go on
    assert chat.answers["age"] == 33
    assert chat.state.stage == ASKING and chat.question == "sex"


def test_a_bare_no_to_finish_or_stop_still_stops(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("weakness_started")
    chat.say("3 years ago")
    chat.say("no")
    assert chat.state.stage == DONE


def test_a_trial_question_while_ruled_out_is_answered_and_the_choice_asked_again(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("16")
    said = chat.say("Is there a placebo?", "ask_placebo", 0.95)
    assert said[-1].text == "Now, back to the questions."
    assert chat.buttons() == ["Finish the questions", "Stop here"]


def test_a_fail_on_the_last_question_ends_the_form_and_the_result_says_why(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("immunosuppressant_recent")
    said = chat.say("on prednisone for my RA")
    assert chat.state.stage == REVIEW  # the answers are shown before the result
    assert "The study is for people who have not taken" in said[-1].text or "immune" in said[-1].text
    chat.say("Yes, show the result")
    assert chat.state.stage == DONE
    outcome, statuses = result(trial, chat)
    assert outcome == "likely_not_eligible" and statuses["immunosuppressant_4_weeks"] == "fail"


# ---------------------------------------------------------------------------
# Whole conversations
# ---------------------------------------------------------------------------
def test_a_whole_run_for_an_eligible_dad(trial: Trial) -> None:
    chat = Chat(trial, "check if my dad qualifies").agree()
    for typed in [
        "yes", "Yes", "about a year and a half ago", "fifty four", "yes he is", "yes",
        "I take Rilutek twice a day", "yes", "no", "no", "no", "never", "no", "looks good",
    ]:
        assert not chat.state.finished
        chat.say(typed)
        assert NOT_READ not in chat.said(), (typed, chat.said())
    assert chat.state.stage == DONE
    assert chat.answers == {
        "diagnosed": "yes", "other_causes_ruled_out": "yes", "weakness_started": {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}, "age": 54,
        "sex": "male", "us_resident": "yes", "can_travel": "yes", "riluzole_taking": "yes",
        "riluzole_stable": "yes", "autoimmune": "no", "other_drug_trial": "no",
        "breathing_support": "none", "edaravone_recent": "no", "immunosuppressant_recent": "no",
    }
    outcome, statuses = result(trial, chat)
    assert outcome == "likely_eligible"
    assert set(statuses.values()) == {"pass"}


def test_a_whole_run_for_a_pregnant_woman_who_is_not_eligible(trial: Trial) -> None:
    chat = Chat(trial, "check eligibility").agree()
    chat.say("Me")
    chat.answer_all({
        "sex": "female", "past_childbearing": "no", "pregnant_or_breastfeeding": "yes, 5 months",
        "two_birth_control": "yes",
    })
    assert chat.state.stage == DONE
    outcome, statuses = result(trial, chat)
    assert outcome == "likely_not_eligible"
    assert {k for k, v in statuses.items() if v == "fail"} == {"pregnant_or_breastfeeding"}
    assert "pregnant_or_breastfeeding" in chat.state.announced


def test_a_whole_run_that_needs_review(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_all({
        "weakness_started": "Not sure", "breathing_support": "BiPAP at night", "autoimmune": "I think so",
    })
    assert chat.state.stage == DONE
    assert chat.answers["weakness_started"] == "unsure"
    assert chat.answers["breathing_support"] == "noninvasive"
    assert chat.answers["autoimmune"] == "unsure"
    outcome, statuses = result(trial, chat)
    assert outcome == "needs_review"
    assert {k for k, v in statuses.items() if v == "unknown"} == {
        "weakness_under_2_years", "ventilator", "autoimmune_disease",
    }
    assert "fail" not in statuses.values()


def test_a_reason_undone_by_a_correction_is_said_again_if_it_comes_back(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("16")
    chat.say("Finish the questions")
    chat.say("actually I'm 45")
    assert chat.state.stage == ASKING and chat.state.announced == []
    said = chat.say("sorry, I was wrong, actually I'm 17")
    assert "18 or older" in said[-1].text  # type: ignore[operator]
    assert chat.state.stage == RULED_OUT


# ---------------------------------------------------------------------------
# Asking for a person mid-form
# ---------------------------------------------------------------------------
def handoff_at(trial: Trial, stage: str) -> Chat:
    chat = Chat(trial, "check eligibility")
    if stage in ("for_whom", "asking"):
        chat.agree()
    if stage == "asking":
        chat.say("me")
        chat.say("yes")
    assert chat.state.stage == stage
    return chat


@pytest.mark.parametrize("stage", ["consent", "for_whom", "asking"])
@pytest.mark.parametrize("text, intent, confidence", [
    ("can I talk to a real person?", "", 0.0),
    ("connect me with the study coordinator", "", 0.0),
    ("agent", "", 0.0),
    ("i need someone from mayo pls", "talk_to_person", 0.93),
    ("this is useless", "deny", 0.9),  # frustration: the assistant is failing them
    ("you're not helping", "", 0.0),
])
def test_asking_for_a_person_gets_the_contact_route_then_the_same_question(
    trial: Trial, stage: str, text: str, intent: str, confidence: float,
) -> None:
    chat = handoff_at(trial, stage)
    before, prompt_before = chat.state.to_dict(), chat.prompt
    said = chat.say(text, intent, confidence)
    assert [r.handoff for r in said] == ["asked", None]
    assert said[0].text == replies.handoff_answer(trial, "asked").text
    assert said[0].custom == replies.handoff_answer(trial, "asked").payload()
    assert said[1].text == "Now, back to the questions."
    assert chat.state.to_dict() == before  # nothing answered, nothing missed
    assert chat.prompt == prompt_before


def test_an_emergency_comes_before_asking_for_a_person(trial: Trial) -> None:
    said = handoff_at(trial, "asking").say("he can't breathe, get me a real person")
    assert [r.response for r in said] == ["utter_emergency"]


@pytest.mark.parametrize("text, intent, confidence", [
    ("Someone I care for", "", 0.0),
    ("I'd have to talk to my wife first", "", 0.0),
    ("maybe a person from the clinic knows", "talk_to_person", 0.5),  # NLU unsure, no request in words
    ("is this helpful for my dad", "", 0.0),
])
def test_other_messages_are_not_a_request_for_a_person(
    trial: Trial, text: str, intent: str, confidence: float,
) -> None:
    chat = handoff_at(trial, "for_whom")
    assert not any(r.handoff for r in chat.say(text, intent, confidence))


# ---------------------------------------------------------------------------
# Whom the questions are about, said mid-form
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Someone I care for", "for someone i care for", "someone else", "my mom"])
def test_naming_whom_the_questions_are_about_is_not_a_request_for_a_person(trial: Trial, text: str) -> None:
    chat = handoff_at(trial, "for_whom")
    said = chat.say(text, "talk_to_person", 0.95)  # NLU hears "someone" and guesses a hand-off
    assert not any(r.handoff for r in said)
    assert chat.state.stage == ASKING and chat.state.is_self is False


def test_saying_it_is_for_someone_else_on_the_first_question_asks_about_them(trial: Trial) -> None:
    chat = Chat(trial, "am i eligible").agree()
    assert chat.state.is_self is True and chat.question == "diagnosed"
    said = chat.say("its for my husband", "talk_to_person", 0.9)
    assert [r.text for r in said] == ["Thanks, I'll ask about your husband now."]
    assert chat.question == "diagnosed"
    assert chat.prompt is not None and "your husband" in chat.prompt.text
    chat.answer_until("age")
    assert "sex" not in chat.asked  # a husband's sex is known


def test_a_switch_after_some_answers_starts_the_questions_again(trial: Trial) -> None:
    chat = Chat(trial, "can I join").agree().answer_until("weakness_started")
    said = chat.say("actually this is for my mother")
    assert said[0].text is not None and "start the questions again" in said[0].text
    assert chat.answers == {"sex": "female"}  # only what "my mother" already tells
    assert chat.question == "diagnosed" and "your mother" in (chat.prompt.text if chat.prompt else "")
    assert chat.say("no, it's for me")[0].text == "Thanks, I'll ask about you now."
    assert chat.state.is_self is True and chat.answers == {}


def test_a_long_message_naming_a_relative_is_not_a_switch(trial: Trial) -> None:
    chat = Chat(trial, "can I join").agree().answer_until("weakness_started")
    chat.say("my husband noticed it first when I was dropping cups all the time")
    assert chat.state.is_self is True


def test_someone_else_after_naming_the_person_keeps_the_name(trial: Trial) -> None:
    chat = Chat(trial, "check if my husband qualifies").agree()
    said = chat.say("someone else")
    assert not any("I'll ask about" in (r.text or "") for r in said)
    assert chat.prompt is not None and "your husband" in chat.prompt.text


def test_someone_else_instead_of_me_asks_about_the_person_they_care_for(trial: Trial) -> None:
    chat = Chat(trial, "am i eligible").agree()
    said = chat.say("Someone else")
    assert [r.text for r in said] == ["Thanks, I'll ask about the person you care for now."]
    assert chat.state.is_self is False


@pytest.mark.parametrize("text, name", [
    ("no, my mom", "your mom"),
    ("no my husband", "your husband"),
    ("Not me, my dad", "your dad"),
    ("nope its my wife", "your wife"),
    ("not me, my neighbour", "your neighbour"),
    ("not me, my roommate", "the person you care for"),
])
def test_no_and_a_relative_on_a_question_put_to_them_switches_whom_it_is_about(
    trial: Trial, text: str, name: str,
) -> None:
    chat = Chat(trial, "am i eligible").agree()
    assert chat.question == "diagnosed"
    said = chat.say(text)
    assert [r.text for r in said] == [f"Thanks, I'll ask about {name} now."]
    assert chat.state.is_self is False and "diagnosed" not in chat.answers
    assert chat.question == "diagnosed"


@pytest.mark.parametrize("text", ["no my bad", "no", "nope, my mom never had that test"])
def test_no_with_other_words_is_still_the_answer(trial: Trial, text: str) -> None:
    chat = Chat(trial, "am i eligible").agree().answer_until("other_causes_ruled_out")
    chat.say(text)
    assert chat.state.is_self is True
    assert chat.answers.get("other_causes_ruled_out") == "no"


@pytest.mark.parametrize("who", ["myself", "for myself", "me myself", "it's for myself", "my husband"])
def test_saying_whom_is_never_taken_for_an_emergency(trial: Trial, who: str) -> None:
    chat = Chat(trial, "check eligibility").agree()
    said = chat.say(who, "emergency", 0.98)  # NLU learnt "myself" from "hurt myself"
    assert all(r.response != "utter_emergency" for r in said)
    assert chat.state.stage == ASKING and chat.question == "diagnosed"
    assert chat.state.is_self is (who != "my husband")


def test_a_short_reply_naming_no_one_is_still_trusted_to_nlu_as_an_emergency(trial: Trial) -> None:
    chat = Chat(trial, "check eligibility").agree()
    assert chat.say("my breathing!!", "emergency", 0.95) == [Reply(response="utter_emergency")]


@pytest.mark.parametrize("text", ["no breathing machine", "he doesnt use a ventilator", "no bipap"])
def test_no_breathing_machine_is_the_answer_even_when_nlu_hears_an_emergency(trial: Trial, text: str) -> None:
    chat = Chat(trial, "check if my dad qualifies").agree().answer_until("breathing_support")
    said = chat.say(text, "emergency", 0.95)
    assert all(r.response != "utter_emergency" for r in said)
    assert chat.answers["breathing_support"] == "none" and chat.question == "edaravone_recent"


def test_an_emergency_about_a_relative_is_still_an_emergency(trial: Trial) -> None:
    chat = Chat(trial, "check if my dad qualifies").agree()
    assert chat.say("my dad fell and won't respond", "emergency", 0.95) == [Reply(response="utter_emergency")]


@pytest.mark.parametrize("opening, who, name", [
    ("am i eligible", "me", "you"),
    ("am i eligible", "myself", "you"),
    ("can my husband join", "my husband", "your husband"),
    ("can my husband join", "someone else", "your husband"),
])
def test_naming_whom_it_is_already_about_is_acknowledged_not_a_miss(
    trial: Trial, opening: str, who: str, name: str,
) -> None:
    chat = Chat(trial, opening).agree()
    assert chat.question == "diagnosed"
    said = chat.say(who)
    assert [r.text for r in said if r.text] in ([f"Yes, these questions are about {name}."], [])
    assert chat.state.misses == 0 and chat.answers.get("diagnosed") is None
    assert chat.question == "diagnosed"


@pytest.mark.parametrize("who, name", [("my mom", "your mom"), ("for my wife", "your wife")])
def test_a_relative_alone_on_a_question_switches_whom_it_is_about(trial: Trial, who: str, name: str) -> None:
    chat = Chat(trial, "am i eligible").agree()
    assert [r.text for r in chat.say(who)] == [f"Thanks, I'll ask about {name} now."]
    assert chat.state.is_self is False


# ---------------------------------------------------------------------------
# Read-back, corrections right after, review before the result
# ---------------------------------------------------------------------------
def test_a_typed_answer_is_read_back_in_one_line_with_its_month(trial: Trial) -> None:
    # Answered by buttons so far ("Yes" read back nothing): this is the first typed answer.
    chat = Chat(trial).agree().answer_until("weakness_started", {"other_causes_ruled_out": "Yes"})
    said = chat.say("it started about 14 months ago")
    assert said[0].text == (
        "Got it: When the weakness started: about 14 months ago (around April 2024). "
        "If I got that wrong, just tell me the right answer."
    )
    assert chat.question == "age"


def test_a_click_is_not_read_back_and_the_hint_comes_once(trial: Trial) -> None:
    chat = Chat(trial).agree()
    assert chat.say("Yes") == []  # a button: the person saw what they chose
    chat.say("yes, they did an EMG")
    assert chat.replies[0].text.startswith("Got it: Other causes ruled out: Yes. If I got that wrong")
    chat.say("last spring I think")
    assert chat.replies[0].text.startswith("Got it: When the weakness started:")
    assert "If I got that wrong" not in chat.replies[0].text


def test_an_unsure_answer_is_read_back_as_left_for_the_study_team(trial: Trial) -> None:
    chat = Chat(trial).agree()
    chat.say("I think so but the neurologist hasn't said for certain")
    assert chat.answers["diagnosed"] == "unsure"
    assert chat.replies[0].text.startswith("Got it: ALS diagnosis: not sure. The study team will check it.")


@pytest.mark.parametrize("typed, expected", [
    ("no, 4 months", {"low": 3.5, "high": 4.5, "low_open": False, "high_open": False}),
    ("sorry I meant 4 months ago", {"low": 3.5, "high": 4.5, "low_open": False, "high_open": False}),
    ("wrong, it was march 2025", {"low": 2.47, "high": 3.47, "low_open": False, "high_open": False}),
])
def test_a_time_read_back_wrong_is_corrected_at_once_in_any_wording(trial: Trial, typed: str, expected: Any) -> None:
    chat = Chat(trial).agree().answer_until("weakness_started")
    chat.say("about 14 months ago")
    assert chat.question == "age"
    said = chat.say(typed)
    assert said[0].text.startswith("Thanks, I've changed that answer. When the weakness started:")
    assert chat.answers["weakness_started"] == expected
    assert chat.question == "age" and "age" not in chat.answers


def test_i_meant_61_not_16_changes_the_age_that_ruled_them_out(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    chat.say("16")
    assert chat.state.stage == RULED_OUT
    said = chat.say("oh wait, I meant 61 not 16")
    assert said[0].text == "Thanks, I've changed that answer. Age: 61."
    assert chat.answers["age"] == 61 and chat.state.stage == ASKING and chat.question == "sex"


def test_i_meant_no_changes_the_yes_no_answer_just_given_not_an_older_one(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("can_travel")
    chat.say("yes I can")
    assert chat.answers["can_travel"] == "yes" and chat.question == "riluzole_taking"
    said = chat.say("sorry I meant no")
    assert said[0].text == "Thanks, I've changed that answer. Able to travel for the visits: No."
    assert chat.answers["us_resident"] == "yes"  # older answers untouched
    assert "riluzole_taking" not in chat.answers


@pytest.mark.parametrize("typed", ["sorry, no", "no", "nope, not on it", "actually no"])
def test_a_polite_or_bare_answer_answers_the_question_asked(trial: Trial, typed: str) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    chat.say(typed)
    assert chat.answers["riluzole_taking"] == "no"
    assert chat.answers["can_travel"] == "yes"


def test_i_made_a_mistake_alone_asks_which_answer(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    said = chat.say("I made a mistake")
    assert "Which answer should I change?" in said[0].text
    assert chat.question == "riluzole_taking" and "riluzole_taking" not in chat.answers


def finish_to_review(trial: Trial, opening: str = "Can I join the study?") -> Chat:
    chat = Chat(trial, opening).agree()
    given = dict(ELIGIBLE_MAN)
    while chat.state.stage != REVIEW:
        assert chat.question is not None
        chat.say(given[chat.question])
    return chat


def test_the_answers_are_reviewed_in_one_message_before_the_result(trial: Trial) -> None:
    chat = finish_to_review(trial)
    assert chat.prompt is not None
    text = chat.prompt.text or ""
    assert text.startswith("Before I show the result, here is what I understood:")
    assert "- Age: 54" in text and "- Takes riluzole now: Yes" in text
    assert chat.buttons() == ["Yes, show the result", "Change an answer"]
    chat.say("yes that's right")
    assert chat.state.stage == DONE


def test_an_answer_changed_at_the_review_is_shown_again_before_the_result(trial: Trial) -> None:
    chat = finish_to_review(trial)
    said = chat.say("Change an answer")
    assert "Which answer should I change?" in said[0].text
    assert chat.state.stage == REVIEW
    said = chat.say("I'm actually 17")
    assert said[0].text == "Thanks, I've changed that answer. Age: 17."
    assert "18 or older" in said[1].text  # the new answer's consequence is said at once
    assert chat.state.stage == REVIEW
    assert "- Age: 17" in (chat.prompt.text or "")  # the list, again, with the change
    chat.say("Yes, show the result")
    outcome, statuses = result(trial, chat)
    assert outcome == "likely_not_eligible" and statuses["age_18_plus"] == "fail"


def test_a_change_at_the_review_that_opens_a_question_asks_it(trial: Trial) -> None:
    chat = finish_to_review(trial)
    chat.say("he doesn't take riluzole, I mean")
    assert chat.answers["riluzole_taking"] == "no" and "riluzole_stable" not in chat.answers
    assert chat.state.stage == ASKING and chat.question == "riluzole_recent"
    chat.say("never took it")
    assert chat.state.stage == REVIEW


def test_a_bare_no_at_the_review_asks_which_answer_and_changes_nothing(trial: Trial) -> None:
    chat = finish_to_review(trial)
    before = dict(chat.answers)
    said = chat.say("no")
    assert "Which answer" in said[0].text and chat.answers == before
    assert chat.state.stage == REVIEW


@pytest.mark.parametrize("typed, stable", [
    ("he started it last week", "no"),
    ("yes, same dose for 2 years", "yes"),
])
def test_an_answer_that_also_answers_the_next_question_is_not_asked_twice(trial: Trial, typed: str, stable: str) -> None:
    chat = Chat(trial, "can my dad join").agree().answer_until("riluzole_taking")
    chat.say(typed)
    assert chat.answers["riluzole_taking"] == "yes" and chat.answers["riluzole_stable"] == stable
    assert "riluzole_stable" not in chat.asked  # (a dose changed last week: told at once it may rule him out)
    assert chat.question == "autoimmune" or chat.state.stage == RULED_OUT
    assert chat.replies[0].text.startswith(
        f"Got it: Takes riluzole now: Yes. Same riluzole dose for 30 days: {stable.capitalize()}."
    )


def test_a_bare_yes_answers_only_the_question_asked(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    chat.say("yes he takes it")
    assert "riluzole_stable" not in chat.answers and chat.question == "riluzole_stable"


# ---------------------------------------------------------------------------
# A correction after the result
# ---------------------------------------------------------------------------
def finished(trial: Trial) -> Chat:
    chat = finish_to_review(trial)
    chat.say("Yes, show the result")
    assert chat.state.stage == DONE
    return chat


def test_a_correction_after_the_result_reopens_the_review_with_the_new_answer(trial: Trial) -> None:
    chat = finished(trial)
    state = chat.state
    said = reopen_for_correction(trial, state, "oh I'm actually 17, sorry", READING_DAY)
    assert said[0].text == "Thanks, I've changed that answer. Age: 17."
    assert state.stage == REVIEW and state.answers["age"] == 17


def test_change_an_answer_after_the_result_asks_which(trial: Trial) -> None:
    state = finished(trial).state
    said = reopen_for_correction(trial, state, "I need to change an answer", READING_DAY)
    assert "Which answer should I change?" in said[0].text and state.stage == REVIEW


@pytest.mark.parametrize("text", ["is 17 too young?", "no", "thanks", "what happens next", "ok bye"])
def test_after_the_result_questions_and_small_talk_do_not_reopen_it(trial: Trial, text: str) -> None:
    state = finished(trial).state
    assert reopen_for_correction(trial, state, text, READING_DAY) == []
    assert state.stage == DONE


def test_a_start_said_of_the_weakness_is_not_taking_the_medicine_but_a_correction(trial: Trial) -> None:
    chat = Chat(trial, "can my dad join").agree().answer_until("riluzole_taking")
    said = chat.say("sorry, his weakness began about 14 months ago")
    assert "riluzole_taking" not in chat.answers and chat.question == "riluzole_taking"
    assert said[0].text.startswith("Thanks, I've changed that answer. When the weakness started:")
