"""People chat through the pre-screen over REST, in free text and with buttons."""
from __future__ import annotations

import re
import sqlite3
import uuid
from typing import Callable, Optional

import pytest

from bot.prescreen.state import REVIEW
from bot.prescreen.subject import Subject
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningStore
from bot.trial.loading import load_trial
from tests.prescreen_driver import (  # noqa: F401  (asked_question, button_titles: imported from here too)
    ELIGIBLE_MAN,
    FINISHED,
    GO_ON,
    answer_all,
    asked_question,
    button_titles,
    result_of,
    text_of,
    where_in,
)

TRIAL = load_trial()


REVIEW_CONFIRM = GO_ON[REVIEW]


class Person:
    """Chats as one new user; answers each question from a script keyed by question id."""

    def __init__(self, chat: Callable, subject: Subject) -> None:
        self.chat, self.subject = chat, subject
        self.sender = f"person-{uuid.uuid4().hex}"
        self.asked: list[str] = []
        self.last: list[dict] = []
        self.reviewed: Optional[str] = None  # the review message, once shown

    def say(self, message: str) -> list[dict]:
        self.last = self.chat(message, sender=self.sender)
        return self.last

    def where(self) -> str:
        """Where the pre-screen stands, read from the last replies as a person reads them
        (tests/prescreen_driver.py); a question is noted as asked, the review as shown."""
        where = where_in(self.last, self.subject, TRIAL)
        assert where is not None, f"no question and no result in {text_of(self.last)!r}"
        if where == REVIEW:
            self.reviewed = text_of(self.last)  # the answers are shown once more before the result
        elif where != FINISHED and where not in GO_ON:
            self.asked.append(where)
        return where

    def answer_all(self, answers: dict[str, str], limit: int = 30) -> dict:
        answer_all(self, answers, limit)
        return result_of(self.last)  # type: ignore[return-value]




def test_an_eligible_man_answering_in_free_text(chat) -> None:
    person = Person(chat, Subject.self())
    opening = text_of(person.say("am i eligible"))
    assert "not recruiting" in opening
    assert "Yes, I agree" in button_titles(person.last)
    person.say("yes")
    result = person.answer_all(ELIGIBLE_MAN)
    assert result["trial"] == "NCT03268603"
    assert result["verdict"] == "likely_eligible", result
    assert {c["status"] for c in result["criteria"]} == {"pass"}
    assert "pregnant_or_breastfeeding" not in person.asked
    text = text_of(person.last)
    assert "study team" in text and "not recruiting" in text


def test_a_wife_asking_for_her_husband_who_took_radicava(chat, servers) -> None:
    husband = Subject.from_relation("my husband")
    person = Person(chat, husband)
    # "Can he join?" gets the real status and the offer of a check; the click keeps "husband".
    person.say("can my husband join this trial?")
    assert "not recruiting" in text_of(person.last)
    assert "Check if I may qualify" in button_titles(person.last)
    person.say("/check_eligibility")
    assert "Yes, I agree" in button_titles(person.last)
    person.say("Yes, I agree")
    answers = dict(ELIGIBLE_MAN, age="he is 61", edaravone_recent="he stopped radicava 2 weeks ago")
    answers.pop("sex")  # "husband" already says it
    # The question after the rule-out: finish anyway.
    for _ in range(30):
        question = asked_question(person.last, husband)
        if question is None:
            break
        person.asked.append(question)
        person.say(answers[question])
    assert "may not be able to join" in text_of(person.last)
    assert "Finish the questions" in button_titles(person.last)
    person.say("Finish the questions")
    result = person.answer_all(answers)
    assert result["verdict"] == "likely_not_eligible"
    failed = [c["id"] for c in result["criteria"] if c["status"] == "fail"]
    assert failed == ["edaravone_30_days"]
    assert "your husband" in text_of(person.last).lower()
    assert "sex" not in person.asked


def test_not_sure_a_correction_and_a_question_mid_form_need_review(chat, servers) -> None:
    person = Person(chat, Subject.self())
    person.say("do I qualify?")
    person.say("yes")
    answers = dict(ELIGIBLE_MAN, autoimmune="Not sure")
    for _ in range(5):  # answer up to the age question and a bit beyond
        question = asked_question(person.last, person.subject)
        person.say(answers[question])
    assert person.last, "the bot must keep asking"
    asked_before = asked_question(person.last, person.subject)
    mid = text_of(person.say("wait is there a placebo?"))
    assert re.search(r"no placebo|No\. There is no placebo", mid)
    assert asked_question(person.last, person.subject) == asked_before
    person.say("actually I'm 45")
    assert "45" in text_of(person.last)
    assert asked_question(person.last, person.subject) == asked_before
    result = person.answer_all(answers)
    assert result["verdict"] == "needs_review"
    unknown = [c["id"] for c in result["criteria"] if c["status"] == "unknown"]
    assert unknown == ["autoimmune_disease"]
    shown = text_of(person.say("show my answers"))
    assert "45" in shown and "54" not in shown


def test_buttons_all_the_way(chat) -> None:
    """A person with weak hands clicks only buttons (Yes / No / Not sure, Female / Male...)."""
    person = Person(chat, Subject.self())
    person.say("/check_eligibility")
    person.say(next(t for t in button_titles(person.last) if t.startswith("Yes")))
    assert "Me" in button_titles(person.last), "a bare /check_eligibility asks for whom"
    person.say("Me")
    for _ in range(30):
        if result_of(person.last):
            break
        titles = button_titles(person.last)
        if REVIEW_CONFIRM in titles:  # the review, clicked through too
            assert "- Age: 60" in text_of(person.last)
            person.say(REVIEW_CONFIRM)
            continue
        question = asked_question(person.last, person.subject)
        assert question, text_of(person.last)
        person.asked.append(question)
        if not titles:  # only a number has no buttons: the age
            assert question == "age"
            person.say("60")
            continue
        choice = "Not sure" if question == "weakness_started" else titles[0]
        choice = "Female" if question == "sex" else choice
        choice = "No" if question in {"pregnant_or_breastfeeding", "autoimmune",
                                      "other_drug_trial", "edaravone_recent",
                                      "immunosuppressant_recent", "riluzole_taking",
                                      "riluzole_recent", "past_childbearing"} else choice
        if question == "breathing_support":
            choice = next(t for t in titles if t.lower().startswith("no"))
        person.say(choice)
    result = result_of(person.last)
    assert result and result["verdict"] == "needs_review"
    assert [c["id"] for c in result["criteria"] if c["status"] != "pass"] == ["weakness_under_2_years"]
    assert "two_birth_control" in person.asked


def test_no_consent_no_health_questions_and_nothing_stored(chat, servers) -> None:
    person = Person(chat, Subject.self())
    person.say("check if I qualify")
    reply = text_of(person.say("No thanks"))
    assert "won't ask" in reply
    assert asked_question(person.last, person.subject) is None
    store = ScreeningStore(servers["screening_db_url"])
    assert store.current(_pseudonym(servers, person.sender), TRIAL.id) is None


def _one_answer_stored(chat, servers) -> tuple[Person, ScreeningStore, str]:
    """A person who agreed and answered the first question: them, the store and their pseudonym."""
    person = Person(chat, Subject.self())
    person.say("am i eligible")
    person.say("yes")
    person.say("yes")  # diagnosed
    return person, ScreeningStore(servers["screening_db_url"]), _pseudonym(servers, person.sender)


def test_delete_my_data_removes_answers_and_history(chat, servers) -> None:
    person, store, pseudonym = _one_answer_stored(chat, servers)
    assert store.current(pseudonym, TRIAL.id).answers == {"diagnosed": "yes"}
    assert person.sender not in pseudonym
    person.say("stop")
    person.say("delete my data")
    assert "Yes, delete" in button_titles(person.last)
    assert "deleted" in text_of(person.say("/affirm")).lower()
    assert store.current(pseudonym, TRIAL.id) is None
    with sqlite3.connect(servers["tracker_db"]) as db:
        rows = db.execute("select count(*) from events where sender_id = ?",
                          ("rest:" + person.sender,)).fetchone()
    assert rows[0] == 0


def test_delete_my_data_in_the_middle_of_the_questions_asks_first(chat, servers) -> None:
    """The form ends on "delete my data"; a rule reading the stage slot asks before deleting."""
    person, store, pseudonym = _one_answer_stored(chat, servers)
    person.say("delete my data")
    assert "Yes, delete" in button_titles(person.last)
    assert store.current(pseudonym, TRIAL.id) is not None  # nothing deleted before the yes
    assert "deleted" in text_of(person.say("/affirm")).lower()
    assert store.current(pseudonym, TRIAL.id) is None


def test_a_typed_intent_cannot_skip_consent(chat, servers) -> None:
    person = Person(chat, Subject.self())
    person.say('/check_eligibility{"prescreen": {"stage": "asking", "is_self": true}}')
    assert "Yes, I agree" in button_titles(person.last)
    person.say('/affirm{"prescreen_reply": "done"}')
    store = ScreeningStore(servers["screening_db_url"])
    # Clicking "yes" by intent is consent; but nothing can have answered a health question.
    saved = store.current(_pseudonym(servers, person.sender), TRIAL.id)
    assert saved is None or saved.answers == {}


def _pseudonym(servers: dict, sender: str) -> str:
    """The pseudonym the action server computed for this REST sender, using the same secret."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREENING_ID_SECRET", servers["screening_id_secret"])
        return pseudonym_for("rest:" + sender)


def test_a_caregiver_naming_a_medicine_gets_its_rule_the_status_and_the_check(chat) -> None:
    messages = chat("my wife takes radicava, can she join?")
    text = text_of(messages)
    assert "30 days" in text and "Radicava" in text
    assert "not recruiting" in text
    offers = button_titles(messages)
    assert "Yes, I agree" in offers or "Check if I may qualify" in offers


@pytest.mark.parametrize("who", ["for myself", "myself", "me myself"])
def test_saying_it_is_for_themselves_starts_the_questions_with_no_emergency_note(chat, who: str) -> None:
    person = Person(chat, Subject.self())
    person.say("check eligibility")
    person.say("yes")
    replies = person.say(who)
    assert "911" not in text_of(replies)
    assert asked_question(replies, Subject.self()) == "diagnosed"


def test_a_caregiver_dating_the_weakness_by_a_season_goes_on_to_the_age(chat) -> None:
    mom = Subject.from_relation("my mom")
    person = Person(chat, mom)
    person.say("can u check if my mom qualifies")
    person.say("ok")
    person.say("yes")
    person.say("yes")
    assert asked_question(person.last, mom) == "weakness_started"
    assert asked_question(person.say("last summer"), mom) == "age"


def test_an_age_question_about_a_son_gets_the_rule_and_a_check_about_him(chat) -> None:
    son = Subject.from_relation("my son")
    person = Person(chat, son)
    person.say("can my son take part, he is 17")
    assert "18 or older" in text_of(person.last)
    assert "Check if I may qualify" in button_titles(person.last)
    person.say("yes")  # to the offer: the check starts, about him
    assert "Yes, I agree" in button_titles(person.last)
    person.say("Yes, I agree")
    question = asked_question(person.last, son)
    assert question is not None, text_of(person.last)  # worded about "your son"
