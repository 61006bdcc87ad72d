"""Who the pre-screen's questions are about: the person typing, or someone they care for.

Read from how people say it ("it's for my mom", "me, the patient", "he was diagnosed in
August", "not me, my husband"), so the questions say "you" or "your husband" and a
relation that implies a sex ("my husband") skips the sex question. Each reader returns
whom a reply names as `Whom` (is_self, the relation words or None); the state machine in
bot/prescreen/screening.py decides what that changes.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.prescreen.questions import Subject

# (is_self, how a caregiver named the person): (True, None) is the person typing;
# (False, None) is someone not named yet.
Whom = tuple[bool, Optional[str]]

SOMEONE_ELSE_RE = re.compile(
    r"\b(?:someone|somebody|some1|other person|another person|a friend|family member|relative|loved one|patient|"
    r"(?:the )?person i (?:care for|look after|help|support|take care of))\b",
    re.I,
)
# The person typing is the patient: "me, the patient", "I'm the one with ALS", "I have ALS".
SELF_PATIENT_RE = re.compile(
    r"\b(?:me|i'?m|i am|im)\W+(?:the\s+)?(?:patient|one with als)\b|\bthe patient is me\b|"
    r"^\W*(?:me\W+)?i (?:have|got) als\W*$",
    re.I,
)
MYSELF_RE = re.compile(
    r"^\W*(?:(?:it'?s|its|this is)\s+)?(?:for\s+)?"
    r"(?:me|myself|i am|i'm|im|it'?s me|mine|self|my self|just me|me\W+myself(?:\W+and i)?|i myself)\W*$",
    re.I,
)
# Mid-form, a short reply that only says whom the questions are about ("it's for my mom",
# "someone else", "no, for me"): the subject changes. "someone" alone is not enough here,
# as "can someone call me" is not about the subject.
FOR_SOMEONE_ELSE_RE = re.compile(
    r"\b(?:some(?:one|body|1)\s+(?:else|i\s+(?:care|look|love|help))|(?:an)?other person|family member|loved one)\b",
    re.I,
)
FOR_ME_RE = re.compile(
    r"^\W*(?:no\W+)?(?:(?:it'?s|its|this is|they'?re|these are|the questions are)\s+)?(?:(?:for|about)\s+)?"
    r"(?:me|myself|my self)(?:\s+actually)?\W*$|\b(?:i'?m|i am|im) the (?:patient|one with als)\b",
    re.I,
)
MAX_SUBJECT_SWITCH_WORDS = 8
# A reply that is nothing but whom: "myself", "for me", "it's for my husband", "my mom".
SUBJECT_ONLY_RE = re.compile(
    r"^\W*(?:(?:it'?s|its|this is|they'?re|the questions are)\s+)?(?:(?:for|about)\s+)?"
    r"(?:me|myself|my\s+self|me\W+myself|i\s+myself|just\s+me|(?:my|our)\s+[a-z-]+(?:\s+in\s+law)?)\W*$",
    re.I,
)
# "no, it's for my mom": said so plainly, it changes the subject before being read as an answer.
SUBJECT_STATEMENT_RE = re.compile(
    r"^\W*(?:(?:no|nope|sorry|oh|actually|wait)\W+)*(?:(?:it'?s|its|this is|these are|they'?re|"
    r"the questions are|i'?m asking)\s+)?(?:for|about)\s+(?:me|myself|my\s+\w+|some(?:one|body)\s+else)\b",
    re.I,
)
# "no, my mom" / "not me, my husband" answering a question put to the wrong person: on its own
# (nothing more after the relative), the "no" says whom, not the answer.
NOT_ME_RE = re.compile(
    r"^\W*(?:no|nope|nah|not me|not for me|not myself)\W+(?:(?:not me|it'?s|its|this is|he'?s|she'?s)\W+)?"
    r"(?:(?:for|about)\s+)?my\s+[a-z-]+(?:\s+[a-z-]+)?\W*$",
    re.I,
)

# Whom a sentence is about, by its pronouns, when it names no one: "he was diagnosed in
# August" (someone else) or "I was diagnosed last year" (the person typing).
HE_WORDS = r"he|hes|he's|him|his"
SHE_WORDS = r"she|shes|she's|her|hers"
HE_RE = re.compile(rf"\b(?:{HE_WORDS})\b", re.I)
SHE_RE = re.compile(rf"\b(?:{SHE_WORDS})\b", re.I)
THIRD_PERSON_RE = re.compile(rf"\b(?:{HE_WORDS}|{SHE_WORDS}|they're|theyre)\b", re.I)
FIRST_PERSON_RE = re.compile(r"\b(?:i|im|i'm|ive|i've|me|my|mine|myself)\b", re.I)

# The answer is about them when it starts with them: "he is 60", "yes, she was", "his hands".
PRONOUN_FIRST_RE = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|no|nope|nah|ok|well)\W+)?(?:he|she|hes|shes|he's|she's|his|her)\b", re.I
)


def whom_said(text: str, from_opening: bool = False, buttons: tuple[str, str] = ("", "")) -> Optional[Whom]:
    """Whom a reply to "who are these questions about?" (or the opening message) names.

    `buttons` are the titles of the "me" and "someone I care for" buttons, read as said.
    """
    if SELF_PATIENT_RE.search(text):
        return True, None  # "me, the patient": not a clinician's patient
    subject = Subject.from_relation(text)
    if not subject.is_self and subject.name != "this person":
        return False, text
    if from_opening:
        # "can I join?" says "me"; a bare "am I eligible" too. Anything else is asked.
        if re.search(r"\b(?:i|me|my self|myself)\b", text, re.I) and not re.search(r"\bmy\b", text, re.I):
            return True, None
        return None
    said = text.strip().lower()
    if MYSELF_RE.search(text) or (buttons[0] and said == buttons[0].lower()):
        return True, None
    if SOMEONE_ELSE_RE.search(text) or (buttons[1] and said == buttons[1].lower()):
        return False, None
    return None


def pronoun_of(text: str) -> Optional[str]:
    """"he" or "she" when the message speaks of one of them only, else None."""
    he, she = bool(HE_RE.search(text)), bool(SHE_RE.search(text))
    return ("he" if he else "she") if he != she else None


def whom_by_pronouns(text: str) -> Optional[Whom]:
    """"He was diagnosed in August" (someone else) or "I was diagnosed last year" (the person typing)."""
    third, first = THIRD_PERSON_RE.search(text), FIRST_PERSON_RE.search(text)
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
    if FIRST_PERSON_RE.search(text) or not PRONOUN_FIRST_RE.match(text):
        return None
    return pronoun_of(text)


def named_subject(text: str) -> Optional[Whom]:
    """Whom a short message says the questions are about, else None."""
    text = text.strip()
    if not text or len(text.split()) > MAX_SUBJECT_SWITCH_WORDS:
        return None
    if FOR_ME_RE.search(text) or MYSELF_RE.search(text) or SELF_PATIENT_RE.search(text):
        return True, None
    named = Subject.from_relation(text)
    if not named.is_self and named.name != "this person":
        return False, text
    if FOR_SOMEONE_ELSE_RE.search(text):
        return False, None
    if NOT_ME_RE.search(text) and re.match(r"\W*not\s+(?:me|for me|myself)\b", text, re.I):
        return False, text  # "not me, my neighbour": someone else, a relation we don't know
    return None


def says_whom_only(text: str) -> bool:
    """The reply is nothing but whom ("myself", "for my mom", "someone else")."""
    return bool(SUBJECT_ONLY_RE.search(text) or FOR_SOMEONE_ELSE_RE.search(text)) and named_subject(text) is not None


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
    return bool(SUBJECT_STATEMENT_RE.search(text) or NOT_ME_RE.search(text) or SUBJECT_ONLY_RE.search(text))
