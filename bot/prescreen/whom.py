"""Who the pre-screen's questions are about: the person typing, or someone they care for.

Read from how people say it ("it's for my mom", "me, the patient", "he was diagnosed in
August", "not me, my husband"), so the questions say "you" or "your husband" and a
relation that implies a sex ("my husband") skips the sex question. Each reader returns
whom a reply names as `Whom` (is_self, the relation words or None); the state machine in
bot/prescreen/screening.py decides what that changes. The phrases are rules in
data/phrase_rules/steering.yml ("myself", "for_me", "subject_only", "not_me", the pronouns...).
"""
from __future__ import annotations

from typing import Optional

from bot.prescreen.subject import Subject
from bot.understanding.phrase_rules import says

# (is_self, how a caregiver named the person): (True, None) is the person typing;
# (False, None) is someone not named yet.
Whom = tuple[bool, Optional[str]]

# Mid-form, a reply of more words than this is an answer, not a change of whom it is about.
MAX_SUBJECT_SWITCH_WORDS = 8


def whom_said(text: str, from_opening: bool = False, buttons: tuple[str, str] = ("", "")) -> Optional[Whom]:
    """Whom a reply to "who are these questions about?" (or the opening message) names.

    `buttons` are the titles of the "me" and "someone I care for" buttons, read as said.
    """
    if says("self_patient", text):
        return True, None  # "me, the patient": not a clinician's patient
    subject = Subject.from_relation(text)
    if subject.named:
        return False, text
    if from_opening:
        # "can I join?" says "me"; a bare "am I eligible" too. Anything else is asked.
        if says("self_words", text) and not says("possessive", text):
            return True, None
        return None
    said = text.strip().lower()
    if says("myself", text) or (buttons[0] and said == buttons[0].lower()):
        return True, None
    if says("someone_else", text) or (buttons[1] and said == buttons[1].lower()):
        return False, None
    return None


def pronoun_of(text: str) -> Optional[str]:
    """"he" or "she" when the message speaks of one of them only, else None."""
    he, she = says("he", text), says("she", text)
    return ("he" if he else "she") if he != she else None


def whom_by_pronouns(text: str) -> Optional[Whom]:
    """"He was diagnosed in August" (someone else) or "I was diagnosed last year" (the person typing)."""
    third, first = says("third_person", text), says("first_person", text)
    if third and not first:
        return False, pronoun_of(text)
    if first and not third and len(text.split()) >= 3:  # "I was diagnosed", not a bare "me?"
        return True, None
    return None


def pronoun_leading(text: str) -> Optional[str]:
    """"he is 60", "yes, she was": the pronoun an answer about the person starts with.

    Not "the doctor said he thinks so" ("he" may be someone else), nor a reply that also
    speaks of "I".
    """
    if says("first_person", text) or not says("pronoun_first", text):
        return None
    return pronoun_of(text)


def named_subject(text: str) -> Optional[Whom]:
    """Whom a short message says the questions are about, else None."""
    text = text.strip()
    if not text or len(text.split()) > MAX_SUBJECT_SWITCH_WORDS:
        return None
    if says("for_me", text) or says("myself", text) or says("self_patient", text):
        return True, None
    named = Subject.from_relation(text)
    if named.named:
        return False, text
    if says("for_someone_else", text):
        return False, None
    if says("not_me", text) and says("not_me_first", text):
        return False, text  # "not me, my neighbour": someone else, a relation we don't know
    return None


def says_whom_only(text: str) -> bool:
    """The reply is nothing but whom ("myself", "for my mom", "someone else")."""
    return bool(says("subject_only", text) or says("for_someone_else", text)) and named_subject(text) is not None


def names_subject(text: str, subject: Subject, is_self: Optional[bool]) -> bool:
    """The reply only says whom, and it is whom the questions are already about."""
    if not says_whom_only(text):
        return False
    named = named_subject(text)
    assert named is not None
    said_self, relation = named
    if said_self or relation is None:
        return said_self == is_self
    return Subject.from_relation(relation) == subject


def changes_subject(text: str) -> bool:
    """"No, it's for my mom", "not me, my husband", "my dad": said plainly, it is about whom."""
    return bool(says("subject_statement", text) or says("not_me", text) or says("subject_only", text))
