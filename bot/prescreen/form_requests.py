"""What a reply asks of the pre-screen besides an answer: help in an emergency, a person,
to stop, start over, see or delete the answers, or what the question means.

Each is read before the reply is taken as an answer, so "stop" is never an answer and
"I can't breathe" gets emergency guidance whatever the form is asking.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understanding.message_text import bounded
from bot.prescreen.whom import SUBJECT_ONLY_RE, named_subject

# A trial question asked mid-form is answered only when NLU is this sure of it
# and it reads like a question, not a short answer ("male" is not "ask_age_sex").
QUESTION_CONFIDENCE = 0.8
QUESTION_MIN_WORDS = 3
# Emergency guidance needs no certainty: these phrases alone trigger it.
EMERGENCY_CONFIDENCE = 0.8
EMERGENCY_RE = re.compile(
    r"\b(?:can'?t|cannot|can not|unable to|not|stopped|isn'?t|is not|struggling to) breath(?:e|ing)\b|"
    r"\bchok(?:e|es|ing)\b|\bturning blue\b|\bgasping\b|\bsuicid|\bkill (?:my|him|her)self\b|"
    r"\bend (?:my|it) (?:life|all)\b|\bhurt (?:my|him|her)self\b|\bwant to die\b|"
    r"\bdo(?:n'?t| not) want to (?:live|be alive)\b|\b(?:call|dial|get) (?:911|an ambulance)\b|"
    r"\b(?:won'?t|will not|can'?t|cannot) wake (?:up|him|her)\b|\bunconscious\b|\bunresponsive\b|"
    r"\bpassed out\b(?! of)|\b(?:has|have|just) collapsed\b|\bcollapsed (?:on|to) the (?:floor|ground)\b|"
    r"\bno pulse\b|\boverdos(?:e|ed|ing)\b",
    re.I,
)
# Saying there is no breathing machine or trouble, as the breathing question asks: NLU
# alone must not make that an emergency. Words that are one ("not breathing") match above.
NO_BREATHING_TROUBLE_RE = re.compile(
    r"\b(?:no|not|never|none|nothing|without|doesn'?t|dont|don'?t|does not|do not|isn'?t|is not|"
    r"hasn'?t|has not|haven'?t|didn'?t|not on|off)\s+(?:\w+\s+){0,3}?"
    r"(?:breathing (?:machines?|support|devices?|masks?|problems?|issues?|trouble|help|aids?)|"
    r"ventilators?|vents?|bipap|bi-pap|cpap|c-pap|trach\w*|(?:problems?|trouble|issues?) breathing|"
    r"(?:breathing|breath) (?:problems?|issues?|trouble))\b",
    re.I,
)

# "Can I talk to a real person?" mid-form: the study team's contact route, then the form
# asks its question again. NLU's talk_to_person intent catches the other wordings.
HANDOFF_INTENT = "talk_to_person"
HANDOFF_RE = re.compile(
    r"\b(?:talk|speak|chat)\w*\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+)?(?:real\s+|live\s+|actual\s+)?"
    r"(?:person|human|someone|somebody|agent|coordinator|nurse|representative)\b|"
    r"\b(?:real|live|actual)\s+(?:person|human)\b|\b(?:connect|transfer)\s+me\s+(?:to|with)\b|"
    r"\bput me through\b|^\W*(?:agent|human|operator|representative)\W*$|"
    # Frustration: the assistant is failing them, so the study team's route is the kind answer.
    r"\b(?:you(?:'?re| are)|this(?: bot)?(?:'?s| is)|it'?s) (?:not|no) help(?:ing|ful)?\b|"
    r"\b(?:this|it|you)(?: bot)?(?:'?s|'?re| is| are) (?:useless|pointless|hopeless|unhelpful)\b|"
    r"\b(?:this|it) (?:isn'?t|is not) help(?:ing|ful)\b|\bwaste of (?:my )?time\b|"
    r"\byou (?:don'?t|do not) understand me\b",
    re.I,
)

# Agreeing in words a yes/no reader does not know: "I agree", "go ahead", "sounds good".
# The whole reply, so "I agree it's confusing, but no" is not consent.
CONSENT_YES_RE = re.compile(
    r"^\W*(?:(?:ok|okay|yes|sure|yeah)\W+)?(?:i\s+)?(?:agree(?:d)?|consent|accept|go ahead|let'?s (?:do it|go|start|begin)|"
    r"lets (?:do it|go|start|begin)|alright|all right|sounds good|fine(?: by me| with me)?|k|kk|start|begin|proceed|"
    r"go for it|ask (?:away|me)|ready|i'?m ready|im ready)(?:\W+(?:please|then|thanks))?\W*$",
    re.I,
)
STOP_RE = re.compile(
    r"^\W*(?:please\s+)?(?:stop|quit|cancel|exit|end|enough|no more|i want to stop|"
    r"stop (?:it|this|here|now|the (?:questions|pre-?screen(?:ing)?|check)))\W*$",
    re.I,
)
START_OVER_RE = re.compile(r"\b(?:start(?:ing)? (?:over|again)|restart|begin again|from the (?:start|beginning))\b", re.I)
SHOW_ANSWERS_RE = re.compile(r"\b(?:show|see|list|review|read)\b.*\banswers?\b|\bwhat did i (?:say|answer)\b", re.I)
# Verb and object in one clause: "I forget, ask me later" is not a request to delete.
DELETE_RE = re.compile(
    r"\b(?:delete|erase|remove|forget|wipe)\b[^,.;!?]*\b(?:data|answers?|info(?:rmation)?|me|everything|chat)\b", re.I
)
CONTINUE_RE = re.compile(r"\b(?:finish|continue|keep going|go on|carry on|rest of|all the questions)\b", re.I)
# "What does that mean?", "why do you ask?": the person wants the question explained, not
# to answer it yet. Said on its own (a few words), so "I don't know" stays "not sure".
WHY_ASKED_RE = re.compile(
    r"^\W*(?:(?:sorry|hm+|um+|uh+|but|ok|okay)\W+)?(?:"
    r"what (?:does|do|did) (?:that|this|it|you|the question) (?:mean|means)|what do you mean(?: by (?:that|this|it))?|"
    r"what(?:'?s| is) that(?: mean)?|what are you asking|"
    r"(?:i\s+)?(?:dont|don'?t|do not|didn'?t|did not) (?:understand|get (?:it|that|the question)|follow)(?: (?:that|this|the question))?|"
    r"(?:i\s+)?(?:dont|don'?t|do not) know what (?:that|this|it|you) means?|(?:i'?m )?not sure what (?:that|this|it|you) means?|"
    r"(?:can you |could you |please )?(?:explain|rephrase|say it another way)(?: (?:that|this|it|please))?|"
    r"i'?m confused|confused|huh|what|"
    r"why (?:do|would|does|did|are|is) (?:you|it|that|this|the study) (?:ask|asking|need|want|wanna|matter|important|relevant)"
    r"(?:\s+(?:to|know|that|this|it|about|for|me))*|"
    r"why"
    r")\W*(?:please|pls|plz)?\W*$",
    re.I,
)


@dataclass(frozen=True)
class Turn:
    """What the person sent, as NLU saw it. Its text is bounded (bot.understanding.message_text) before the
    pre-screen's readers see it, whoever made the turn."""

    text: str
    intent: str = ""
    confidence: float = 0.0
    # The topics NLU found asked in the message, each clear, in order (bot.understanding.topics):
    # a message with several questions gets each answered, in the form as outside it.
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", bounded(self.text or ""))


def is_intent(turn: Turn, intent: str) -> bool:
    return turn.intent == intent and turn.confidence >= QUESTION_CONFIDENCE


def is_emergency(turn: Turn) -> bool:
    """Breathing trouble, choking or self-harm, said in words or recognised by NLU.

    NLU alone is not trusted on a reply that only says whom the questions are about:
    it has learnt "myself" from "hurt myself", and "for myself" is no emergency.
    """
    text = turn.text or ""
    if EMERGENCY_RE.search(text):
        return True
    if SUBJECT_ONLY_RE.search(text) and named_subject(text) is not None:
        return False  # "my breathing" names no one: NLU is still trusted on it
    if NO_BREATHING_TROUBLE_RE.search(text):
        return False  # "no breathing machine": NLU hears "breathing", the words say none
    return turn.intent == "emergency" and turn.confidence >= EMERGENCY_CONFIDENCE


def wants_a_person(turn: Turn) -> bool:
    """The person asks to talk to a person, in words or recognised by NLU.

    NLU alone is not trusted when the message says whom the questions are about
    ("Someone I care for", "my mom"): those mention people without asking for one.
    """
    text = turn.text or ""
    if HANDOFF_RE.search(text):
        return True
    return is_intent(turn, HANDOFF_INTENT) and named_subject(text) is None
