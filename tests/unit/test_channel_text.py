"""Splitting long answers and numbered choices, as SMS, Telegram and Slack get them."""
from __future__ import annotations

import time

import pytest

from adapters.channel_text import (
    CHOICES_PROMPT,
    choice_for_reply,
    numbered_choices,
    reply_number,
    split_message,
    text_length,
    with_numbered_choices,
)

CONSENT = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "Not sure"},
]


def words(text: str) -> list[str]:
    return text.split()


def test_short_text_is_one_message_unchanged():
    assert split_message("Is it still recruiting?", 1600) == ["Is it still recruiting?"]


@pytest.mark.parametrize("blank", ["", "   ", "\n\n \t"])
def test_blank_text_gives_no_messages(blank):
    assert split_message(blank, 1600) == []


def test_splits_between_paragraphs_before_anything_else():
    first = "The study tests stem cells. " * 20  # 560 characters
    second = "You can ask the study team. " * 20
    chunks = split_message(f"{first.strip()}\n\n{second.strip()}", 600)
    assert chunks == [first.strip(), second.strip()]


def test_packs_paragraphs_that_fit_together():
    text = "One.\n\nTwo.\n\nThree is longer than the others."
    assert split_message(text, 12) == ["One.\n\nTwo.", "Three is", "longer than", "the others."]


def test_splits_a_long_paragraph_between_sentences():
    sentence = "Each visit takes about one hour."
    paragraph = " ".join([sentence] * 10)
    chunks = split_message(paragraph, 100)
    assert all(chunk.endswith(".") for chunk in chunks)
    assert all(len(chunk) <= 100 for chunk in chunks)
    assert " ".join(chunks) == paragraph


def test_splits_a_long_sentence_between_words_never_inside_one():
    sentence = " ".join(f"word{i}" for i in range(500))
    chunks = split_message(sentence, 50)
    assert all(len(chunk) <= 50 for chunk in chunks)
    assert [w for chunk in chunks for w in chunk.split()] == sentence.split()


def test_only_a_word_longer_than_the_limit_is_cut_and_nothing_is_lost():
    link = "https://example.org/" + "a" * 130
    chunks = split_message(f"See {link} for more.", 60)
    assert all(text_length(chunk) <= 60 for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(f"See {link} for more.".split())
    assert chunks[0] == "See"


def test_a_huge_answer_keeps_every_word_in_order_and_stays_fast():
    text = "\n\n".join(
        " ".join(f"p{p}w{w}." if w % 9 == 8 else f"p{p}w{w}" for w in range(2000)) for p in range(200)
    )  # about 3 MB
    started = time.monotonic()
    chunks = split_message(text, 1600)
    assert time.monotonic() - started < 10
    assert all(0 < text_length(chunk) <= 1600 for chunk in chunks)
    assert [w for chunk in chunks for w in chunk.split()] == text.split()


def test_lengths_count_emoji_as_two_units_as_sms_and_telegram_do():
    assert text_length("héllo") == 5
    assert text_length("👍") == 2
    chunks = split_message("👍" * 5, 4)
    assert chunks == ["👍👍", "👍👍", "👍"]
    text = "Merci beaucoup 😀 " * 200
    chunks = split_message(text, 160)
    assert all(text_length(chunk) <= 160 for chunk in chunks)
    assert " ".join(chunks).split() == text.split()


def test_a_too_small_limit_is_refused():
    with pytest.raises(ValueError):
        split_message("hello", 1)


def test_numbered_choices_show_titles_one_per_line_and_never_payloads():
    shown = numbered_choices(CONSENT)
    assert shown == f"{CHOICES_PROMPT}\n1. Yes\n2. No\n3. Not sure"
    assert "/affirm" not in shown and "/deny" not in shown


def test_no_buttons_means_no_choices():
    assert numbered_choices([]) == ""
    assert with_numbered_choices("Thanks.", [], 1600) == ["Thanks."]


def test_text_and_choices_are_one_message_when_they_fit():
    assert with_numbered_choices("Do you agree?", CONSENT, 1600) == [
        "Do you agree?\n\nReply with a number:\n1. Yes\n2. No\n3. Not sure"
    ]


def test_choices_stay_with_the_last_part_of_a_long_text():
    text = "\n\n".join(["A paragraph of about sixty characters, give or take a few."] * 6)
    messages = with_numbered_choices(text, CONSENT, 200)
    assert all(text_length(m) <= 200 for m in messages)
    assert messages[-1].endswith("3. Not sure")
    assert messages[-1].startswith("A paragraph")  # text and choices together
    assert sum(m.count("A paragraph") for m in messages) == 6


def test_the_question_moves_to_the_choices_when_the_last_part_is_full():
    text = "Some background words. " * 7 + "Do you agree?"  # 174 characters
    messages = with_numbered_choices(text, CONSENT, 200)
    assert len(messages) == 2
    assert all(text_length(m) <= 200 for m in messages)
    assert "Do you agree?\n\nReply with a number:\n1. Yes" in messages[1]
    assert " ".join(messages).split() == (text + " " + numbered_choices(CONSENT)).split()


def test_choices_come_after_the_text_rather_than_cut_a_word():
    link = "https://example.org/" + "a" * 169  # one word of 189 characters
    messages = with_numbered_choices(link, CONSENT, 200)
    assert messages == [link, numbered_choices(CONSENT)]


def test_choices_alone_when_there_is_no_text():
    assert with_numbered_choices("", CONSENT, 1600) == [numbered_choices(CONSENT)]


@pytest.mark.parametrize(
    "reply, number",
    [("2", 2), ("2.", 2), (" 2 ", 2), ("#2", 2), ("two", 2), ("Two", 2), ("option 2", 2),
     ("Option #3", 3), ("(1)", 1), ("number 1", 1), ("2)", 2), ("10", 10), ("٢", 2),
     ("2nd", 2), ("the first one", 1), ("Second", 2), ("3rd one", 3), ("2 please", 2),
     ("option 1 thanks!", 1), ("No. 2", 2)],
)
def test_a_reply_that_is_just_a_number(reply, number):
    assert reply_number(reply) == number


@pytest.mark.parametrize(
    "reply",
    ["2 years ago", "I'm 54", "no", "yes", "", "option", "1.5", "twenty two", "2years",
     "first of all", "last year", "the last one", "1,000", "no 2"],
)
def test_a_reply_that_is_more_than_a_number_is_not_one(reply):
    assert reply_number(reply) is None


@pytest.mark.parametrize("reply", ["2", "2.", " 2 ", "#2", "two", "option 2"])
def test_a_number_picks_the_payload_of_that_choice(reply):
    assert choice_for_reply(reply, CONSENT) == "/deny"


@pytest.mark.parametrize(
    "reply", ["2 no", "2. No", "2 - no", "#2 No!", "the second one", "2nd", "2 please"]
)
def test_a_number_with_its_own_title_or_a_please_picks_that_choice(reply):
    assert choice_for_reply(reply, CONSENT) == "/deny"


def test_the_last_one_is_the_last_choice():
    assert choice_for_reply("the last one", CONSENT) == "Not sure"
    assert choice_for_reply("last", CONSENT) == "Not sure"


@pytest.mark.parametrize(
    "reply", ["0", "4", "12", "No", "1 no", "2 yes", "2 years ago", "first I want to ask"]
)
def test_a_number_out_of_range_or_other_text_picks_nothing(reply):
    assert choice_for_reply(reply, CONSENT) is None


def test_nothing_is_picked_when_no_buttons_were_offered():
    assert choice_for_reply("1", []) is None


def test_numbers_skip_buttons_without_a_title_the_same_way_on_both_sides():
    buttons = [{"title": "", "payload": "/hidden"}, {"title": "Me", "payload": "Me"},
               {"title": "Someone I care for", "payload": "Someone I care for"}]
    assert numbered_choices(buttons).splitlines()[1:] == ["1. Me", "2. Someone I care for"]
    assert choice_for_reply("2", buttons) == "Someone I care for"


def test_a_button_without_payload_answers_with_its_title():
    assert choice_for_reply("1", [{"title": "Not sure"}]) == "Not sure"


def test_a_lone_choice_beside_a_typed_answer_is_offered_not_demanded() -> None:
    text = numbered_choices([{"title": "Not sure", "payload": "Not sure"}])
    assert text == "Or reply 1 for: Not sure"
    assert choice_for_reply("1", [{"title": "Not sure", "payload": "Not sure"}]) == "Not sure"
    assert choice_for_reply("18 months", [{"title": "Not sure", "payload": "Not sure"}]) is None
