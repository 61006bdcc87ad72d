"""What the reply answers, from NLU's reading of the whole message and of each question."""
from __future__ import annotations

from bot.understanding.topics import Guess, message_intent, planned_reply, suggestions, topics_to_answer

SURE, UNSURE = 0.9, 0.3


def test_several_clear_questions_are_each_answered_in_order() -> None:
    parts = [Guess("ask_locations", SURE), Guess("ask_timeline", SURE)]
    assert topics_to_answer(Guess("ask_locations", 0.6), parts) == ["ask_locations", "ask_timeline"]


def test_at_most_three_and_each_topic_once() -> None:
    parts = [Guess(i, SURE) for i in ("ask_status", "ask_cost", "ask_status", "ask_team", "ask_phase")]
    assert topics_to_answer(Guess("ask_status", SURE), parts) == ["ask_status", "ask_cost", "ask_team"]


def test_worried_context_gives_way_to_the_question() -> None:
    parts = [Guess("care", UNSURE), Guess("ask_efficacy", SURE)]
    assert topics_to_answer(Guess("care", 0.5), parts) == ["ask_efficacy"]


def test_an_unclear_part_is_not_answered() -> None:
    parts = [Guess("ask_status", SURE), Guess("ask_cost", UNSURE)]
    assert topics_to_answer(Guess("ask_status", SURE), parts) == ["ask_status"]


def test_moves_that_are_not_topics_keep_their_own_reply() -> None:
    assert planned_reply(Guess("check_eligibility", SURE), []) == ["check_eligibility"]
    assert planned_reply(Guess("emergency", SURE), [Guess("ask_safety", SURE)] * 2) == ["emergency"]
    assert planned_reply(Guess("ask_capabilities", SURE), []) == ["ask_capabilities"]


def test_a_greeting_or_an_unsure_whole_still_answers_clear_questions() -> None:
    parts = [Guess("greet", SURE), Guess("ask_status", SURE)]
    assert planned_reply(Guess("greet", SURE), parts) == ["ask_status"]
    parts = [Guess("ask_join", SURE), Guess("ask_contact", SURE)]
    assert planned_reply(Guess("nlu_fallback", UNSURE), parts) == ["ask_join", "ask_contact"]
    assert planned_reply(Guess("nlu_fallback", UNSURE), []) == ["nlu_fallback"]


def test_did_you_mean_offers_only_plausible_topics() -> None:
    ranking = [Guess("ask_cost", 0.3), Guess("greet", 0.25), Guess("ask_join", 0.2),
               Guess("care", 0.15), Guess("ask_team", 0.13), Guess("ask_phase", 0.05)]
    assert suggestions(ranking) == ["ask_cost", "ask_join", "care"]
    assert suggestions([Guess("ask_team", 0.1), Guess("ask_cost", 0.05)]) == ["ask_team"]
    assert suggestions([Guess("out_of_scope", 0.2), Guess("ask_team", 0.05)]) == []


def test_a_message_of_several_clear_questions_takes_its_first_question_as_intent() -> None:
    parts = [Guess("inform", SURE, asks=False), Guess("ask_age_sex", 0.7), Guess("ask_placebo", SURE)]
    assert message_intent(Guess("check_eligibility", 0.5), parts) == Guess("ask_age_sex", 0.7)
    # One question, or an emergency, leaves the whole message's intent as it is.
    assert message_intent(Guess("check_eligibility", 0.5), parts[:2]) == Guess("check_eligibility", 0.5)
    assert message_intent(Guess("emergency", 0.6), parts) == Guess("emergency", 0.6)


def test_one_question_cut_in_two_keeps_the_surer_reading_of_the_whole() -> None:
    # "is this just hype or is there real proof": one question, two phrasings.
    parts = [Guess("care", 0.4), Guess("ask_sources", 0.55)]
    assert topics_to_answer(Guess("ask_efficacy", 0.93), parts) == ["ask_efficacy"]
    assert topics_to_answer(Guess("ask_efficacy", 0.5), parts) == ["ask_sources"]
