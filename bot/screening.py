"""The pre-screen conversation: consent, for whom, one question at a time.

A pure state machine over a JSON-able state, so every turn (corrections, "stop",
a trial question asked mid-form, two misses in a row) is tested without Rasa.
The Rasa form is only its adapter: it keeps the state in a slot and shows
`prompt()` whenever the form asks.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import replies
from bot.answer_parsing import numbers_to_digits, parse_yes_no
from bot.corrections import Correction, Redo, find_correction
from bot.dialogue_words import load_dialogue_words
from bot.eligibility import ruled_out
from bot.lexicon import load_lexicon
from bot.nlp import find_entities
from bot.questions import (
    Subject,
    answers_that_apply,
    display_value,
    find_question_named,
    initial_answers,
    next_question,
    read_answer,
    wording,
)
from bot.interval import Interval
from bot.trial import Question, Trial

# Stages; the last four end the form.
CONSENT, FOR_WHOM, ASKING, RULED_OUT = "consent", "for_whom", "asking", "ruled_out"
REVIEW = "review"  # every question answered: the person checks the answers before the result
DONE, DECLINED, STOPPED, DELETE_REQUESTED = "done", "declined", "stopped", "delete_requested"
FINAL_STAGES = frozenset({DONE, DECLINED, STOPPED, DELETE_REQUESTED})

# A trial question asked mid-form is answered only when NLU is this sure of it
# and it reads like a question, not a short answer ("male" is not "ask_age_sex").
QUESTION_CONFIDENCE = 0.8
QUESTION_MIN_WORDS = 3
# Two messages in a row we could not read are asked again; the third also gives the study
# team's contact route (in the form and outside it: actions/handoff.py uses it too).
MISSES_BEFORE_HANDOFF = 2
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

WORDS = {
    "consent_prompt": "Do you agree to answer these questions?",
    "agree": "Yes, I agree",
    "decline": "No thanks",
    "for_whom": "Who are these questions about?",
    "me": "Me",
    "someone_else": "Someone I care for",
    "for_whom_retry": "Please tell me who the questions are about, for example \"me\" or \"my husband\".",
    "consent_retry": (
        "Sorry, I didn't catch that. Would you like to answer the questions? Please say yes or no. "
        "You can also ask me about the study at any time."
    ),
    "declined": (
        "That's fine. I won't ask any health questions and nothing was saved. "
        "You can still ask me anything about the trial."
    ),
    "stopped": (
        "OK, I've stopped the questions. The answers so far are kept with a random code. "
        "Say \"delete my data\" to remove them, or ask me anything about the trial."
    ),
    "start_over": "OK, let's start the questions again from the beginning.",
    "subject_now": "Thanks, I'll ask about {name} now.",
    "subject_same": "Yes, these questions are about {name}.",
    "subject_restart": "Thanks, I'll ask about {name} now. The earlier answers were about someone else, so let's start the questions again.",
    "not_read": "Sorry, I couldn't read that answer.",
    "offer_unsure": (
        "If you don't know, choose \"Not sure\" and the study team will check it. "
        "You can also say \"stop\"."
    ),
    "not_sure": "Not sure",
    "stop": "Stop",
    "ruled_out": "Thank you for telling me. Based on that answer, {who} may not be able to join this study:",
    "ruled_out_choice": "Would you like to finish the questions anyway, so the study team sees the full picture, or stop here?",
    "finish": "Finish the questions",
    "stop_here": "Stop here",
    "updated": "Thanks, I've changed that answer. {label}: {value}.",
    "read_back": "Got it: {label}: {value}.",
    "read_back_unsure": "Got it: {label}: not sure. The study team will check it.",
    "read_back_hint": "If I got that wrong, just tell me the right answer.",
    "around": "around {when}",
    "review": "Before I show the result, here is what I understood:",
    "review_prompt": "Is this all right? You can change any answer by telling me the new one, for example \"age 61\".",
    "review_confirm": "Yes, show the result",
    "review_change": "Change an answer",
    "which_answer": "No problem. Which answer should I change? Tell me the new answer, for example \"age 61\" or \"no riluzole\".",
    "review_not_read": "Sorry, I didn't catch that.",
    "welcome_back": "Welcome back. You stopped part-way through the pre-screen{about}, with {count} so far. Would you like to carry on where you stopped?",
    "welcome_back_consent": "Welcome back. You had started the pre-screen{about}. Would you like to carry on where you stopped?",
    "carry_on": "Carry on",
    "start_again": "Start again",
    "resumed": "Let's carry on. Your answers so far:",
    "resumed_none": "Let's carry on where you stopped.",
    "nothing_to_resume": "There's no unfinished pre-screen to carry on, so let's start from the beginning.",
    "review_again": "Tell me the new answer, or choose \"Yes, show the result\" if everything is right.",
    "redo": "Sure, let's go back to that question.",
    "no_answers": "There are no answers saved yet.",
    "your_answers": "Here are the answers so far:",
    "back_to_question": "Now, back to the questions.",
    "why_asked": "I ask because of the study's rules for who can take part:",
    "why_inclusion": "To take part: {summary}.",
    "why_exclusion": "Not able to take part: {summary}.",
    "why_unknown": "The study team uses this answer to compare with the study's rules.",
    "why_not_sure": "If you don't know, you can answer \"not sure\" and the study team will check.",
}


@dataclass
class Reply:
    """One bot message: text with buttons, a domain response by name, or a custom payload."""

    text: Optional[str] = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    response: Optional[str] = None
    custom: Optional[dict[str, Any]] = None
    # Points the person to the study team: why ("asked" or "repeated_failure"); the adapter
    # records the request for staff.
    handoff: Optional[str] = None


@dataclass
class State:
    """Everything the pre-screen remembers between turns (kept in one Rasa slot)."""

    stage: str = CONSENT
    relation: Optional[str] = None  # how a caregiver named the person; None while unknown
    is_self: Optional[bool] = None
    answers: dict[str, Any] = field(default_factory=dict)
    misses: int = 0
    announced: list[str] = field(default_factory=list)  # criteria already said to rule out
    order: list[str] = field(default_factory=list)  # question ids in the order answered, latest last
    read_backs: int = 0  # answers read back so far: the first one says how to fix it
    screening_id: Optional[str] = None  # the stored record, once the person agreed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Optional[dict[str, Any]]) -> "State":
        if not raw:
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def subject(self) -> Subject:
        if self.is_self or self.is_self is None:
            return Subject.self()
        return Subject.from_relation(self.relation)

    @property
    def finished(self) -> bool:
        return self.stage in FINAL_STAGES


@dataclass(frozen=True)
class Turn:
    """What the person sent, as NLU saw it."""

    text: str
    intent: str = ""
    confidence: float = 0.0


MAX_ZONE_NAME = 64


def zone_for(trial: Trial, zone_name: Any = None) -> ZoneInfo:
    """The person's time zone: an IANA name their channel sent (a chat page may send its
    browser's), else the trial site's (the trial file's `timezone`). A name that is not a
    zone is ignored, never an error."""
    if isinstance(zone_name, str) and 0 < len(zone_name) <= MAX_ZONE_NAME:
        try:
            return ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(trial.timezone)


def person_today(trial: Trial, zone_name: Any = None, now: Optional[datetime] = None) -> date:
    """Today's date where the person is: "a month ago" and "in November" count from it.

    Just after midnight in Chicago it is still yesterday in Hawaii, and already tomorrow
    in UTC: the server's own date would be a guess.
    """
    moment = now or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone_for(trial, zone_name)).date()


def start(trial: Trial, first_message: str) -> State:
    """A new pre-screen; "check if my dad qualifies" already says for whom."""
    state = State()
    _note_for_whom(state, first_message, from_opening=True)
    return state


def _note_for_whom(state: State, text: str, from_opening: bool = False) -> bool:
    """Reads who the questions are about; True when it could tell."""
    if SELF_PATIENT_RE.search(text):
        state.is_self = True  # "me, the patient": not a clinician's patient
        return True
    subject = Subject.from_relation(text)
    if not subject.is_self and subject.name != "this person":
        state.is_self, state.relation = False, text
        return True
    if from_opening:
        # "can I join?" says "me"; a bare "am I eligible" too. Anything else is asked.
        if re.search(r"\b(?:i|me|my self|myself)\b", text, re.I) and not re.search(r"\bmy\b", text, re.I):
            state.is_self = True
            return True
        return False
    if MYSELF_RE.search(text) or text.strip().lower() == WORDS["me"].lower():
        state.is_self = True
        return True
    if SOMEONE_ELSE_RE.search(text) or text.strip() == WORDS["someone_else"]:
        state.is_self, state.relation = False, None
        return True
    return False


def _begin_questions(trial: Trial, state: State) -> None:
    state.stage = ASKING
    _apply_subject(trial, state)
    state.misses = 0


def _apply_subject(trial: Trial, state: State) -> None:
    """Answers the subject gives without asking ("my husband": male), unless already given."""
    state.answers = initial_answers(trial, state.subject()) | state.answers


def current_question(trial: Trial, state: State) -> Optional[Question]:
    return next_question(trial, state.answers) if state.stage == ASKING else None


def prompt(trial: Trial, state: State) -> Reply:
    """What the form asks now, given the stage and how many answers were missed."""
    if state.stage == CONSENT:
        assert trial.screening is not None
        return Reply(
            text=f"{trial.screening.consent}\n\n{WORDS['consent_prompt']}",
            buttons=[_button(WORDS["agree"]), _button(WORDS["decline"])],
        )
    if state.stage == FOR_WHOM:
        text = WORDS["for_whom"] if state.misses == 0 else WORDS["for_whom_retry"]
        return Reply(text=text, buttons=[_button(WORDS["me"]), _button(WORDS["someone_else"])])
    if state.stage == REVIEW:
        text = "\n".join([WORDS["review"], answers_list(trial, state.answers), "", WORDS["review_prompt"]])
        return Reply(
            text=WORDS["review_again"] if state.misses else text,
            buttons=[_button(WORDS["review_confirm"]), _button(WORDS["review_change"])],
        )
    if state.stage == RULED_OUT:
        return Reply(
            text=WORDS["ruled_out_choice"],
            buttons=[_button(WORDS["finish"]), _button(WORDS["stop_here"])],
        )
    question = current_question(trial, state)
    if question is None:
        return Reply()
    text = wording(question, state.subject())
    buttons = [_button(b.title) for b in question.buttons]
    if state.misses == 1:
        text = f"{WORDS['not_read']} {text} ({question.example})"
    elif state.misses >= 2:
        text = f"{WORDS['not_read']} {text} ({question.example})\n{WORDS['offer_unsure']}"
        titles = {b["title"] for b in buttons}
        buttons += [_button(t) for t in (WORDS["not_sure"], WORDS["stop"]) if t not in titles]
    return Reply(text=text, buttons=buttons)


def _button(title: str) -> dict[str, str]:
    # The payload is the title itself: it is read like typed text, on every channel.
    return {"title": title, "payload": title}


def step(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    """Advances the pre-screen by one message; returns what to say before the next prompt."""
    text = (turn.text or "").strip()
    if is_emergency(turn):
        return [Reply(response="utter_emergency")]
    if DELETE_RE.search(text) or _is_intent(turn, "delete_my_data"):
        state.stage = DELETE_REQUESTED
        return []
    if wants_a_person(turn):
        answer = replies.handoff_answer(trial, "asked")
        return [
            Reply(text=answer.text, custom=answer.payload(), handoff="asked"),
            Reply(text=WORDS["back_to_question"]),
        ]
    if state.stage == CONSENT:
        return _on_consent(trial, state, turn)
    if STOP_RE.search(text) and state.stage != RULED_OUT:  # there, "stop here" is one of the two choices
        state.stage = STOPPED
        return [Reply(text=WORDS["stopped"])]
    if state.stage == FOR_WHOM:
        return _on_for_whom(trial, state, turn, today)
    if START_OVER_RE.search(text):
        state.answers, state.announced = {}, []
        _begin_questions(trial, state)
        return [Reply(text=WORDS["start_over"])]
    if SHOW_ANSWERS_RE.search(text) or _is_intent(turn, "show_my_answers"):
        return [Reply(text=answers_summary(trial, state.answers))]
    if state.stage == RULED_OUT:
        return _on_ruled_out(trial, state, turn, today)
    if state.stage == REVIEW:
        return _on_review(trial, state, turn, today)
    return _on_answer(trial, state, turn, today)


def _is_intent(turn: Turn, intent: str) -> bool:
    return turn.intent == intent and turn.confidence >= QUESTION_CONFIDENCE


def is_emergency(turn: Turn) -> bool:
    """Breathing trouble, choking or self-harm, said in words or recognised by NLU.

    NLU alone is not trusted on a reply that only says whom the questions are about:
    it has learnt "myself" from "hurt myself", and "for myself" is no emergency.
    """
    text = turn.text or ""
    if EMERGENCY_RE.search(text):
        return True
    if SUBJECT_ONLY_RE.search(text) and _named_subject(text) is not None:
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
    return _is_intent(turn, HANDOFF_INTENT) and _named_subject(text) is None


def _named_subject(text: str) -> Optional[tuple[bool, Optional[str]]]:
    """(is_self, relation) when a short message says whom the questions are about, else None."""
    text = text.strip()
    if not text or len(text.split()) > MAX_SUBJECT_SWITCH_WORDS:
        return None
    if FOR_ME_RE.search(text) or MYSELF_RE.search(text) or SELF_PATIENT_RE.search(text):
        return True, None
    named = Subject.from_relation(text)
    if not named.is_self and named.name != "this person":
        return False, text
    if text == WORDS["someone_else"] or FOR_SOMEONE_ELSE_RE.search(text):
        return False, None
    if NOT_ME_RE.search(text) and re.match(r"\W*not\s+(?:me|for me|myself)\b", text, re.I):
        return False, text  # "not me, my neighbour": someone else, a relation we don't know
    return None


def _names_current_subject(state: State, text: str) -> bool:
    """The reply only says whom, and it is whom the questions are already about."""
    if not SUBJECT_ONLY_RE.search(text) and not FOR_SOMEONE_ELSE_RE.search(text):
        return False
    named = _named_subject(text)
    if named is None:
        return False
    is_self, relation = named
    if is_self or relation is None:
        return is_self == state.is_self
    return Subject.from_relation(relation) == state.subject()


def _switch_subject(trial: Trial, state: State, text: str) -> list[Reply]:
    """ "Actually it's for my mom" mid-form: ask about that person from now on.

    Answers already given were about the other person, so the questions start again.
    """
    named = _named_subject(text)
    if named is None:
        return []
    old = state.subject()
    is_self, relation = named
    if not is_self and relation is None and state.is_self is False:
        return []  # "someone else" when they already named whom ("my husband")
    new = Subject.self() if is_self else Subject.from_relation(relation)
    if new == old:
        return []
    given = {k: v for k, v in state.answers.items() if initial_answers(trial, old).get(k) != v}
    state.is_self, state.relation = is_self, relation
    state.answers, state.announced = {}, []
    _begin_questions(trial, state)
    key = "subject_restart" if given else "subject_now"
    name = "the person you care for" if new.name == "this person" else new.name
    return [Reply(text=WORDS[key].format(name=name))]


def _on_consent(trial: Trial, state: State, turn: Turn) -> list[Reply]:
    said = _yes_no(turn)
    if said is None and CONSENT_YES_RE.search(turn.text or ""):
        said = "yes"
    if said == "yes":
        if state.is_self is None:
            state.stage, state.misses = FOR_WHOM, 0
        else:
            _begin_questions(trial, state)
        return []
    if said == "no" or STOP_RE.search(turn.text or ""):
        state.stage = DECLINED
        return [Reply(text=WORDS["declined"])]
    answered = _trial_answer(trial, turn)
    if answered:
        return answered
    return _missed(trial, state) or [Reply(text=WORDS["consent_retry"])]


def _yes_no(turn: Turn) -> Optional[str]:
    text = (turn.text or "").strip()
    if text == WORDS["agree"]:
        return "yes"
    if text == WORDS["decline"]:
        return "no"
    said = parse_yes_no(text)
    if said is None and turn.confidence >= QUESTION_CONFIDENCE:
        said = {"affirm": "yes", "deny": "no"}.get(turn.intent)
    return said


# Whom a sentence is about, by its pronouns, when it names no one: "he was diagnosed in
# August" (someone else) or "I was diagnosed last year" (the person typing).
HE_WORDS = r"he|hes|he's|him|his"
SHE_WORDS = r"she|shes|she's|her|hers"
HE_RE = re.compile(rf"\b(?:{HE_WORDS})\b", re.I)
SHE_RE = re.compile(rf"\b(?:{SHE_WORDS})\b", re.I)
THIRD_PERSON_RE = re.compile(rf"\b(?:{HE_WORDS}|{SHE_WORDS}|they're|theyre)\b", re.I)
FIRST_PERSON_RE = re.compile(r"\b(?:i|im|i'm|ive|i've|me|my|mine|myself)\b", re.I)


def _on_for_whom(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    text = turn.text or ""
    if _note_for_whom(state, text) or _note_whom_by_pronouns(state, text):
        _begin_questions(trial, state)
        return _take_first_answer(trial, state, text, today)
    answered = _trial_answer(trial, turn)
    if answered:
        return answered
    return _missed(trial, state)


def _pronoun_of(text: str) -> Optional[str]:
    """"he" or "she" when the message speaks of one of them only, else None."""
    he, she = bool(HE_RE.search(text)), bool(SHE_RE.search(text))
    return ("he" if he else "she") if he != she else None


def _note_whom_by_pronouns(state: State, text: str) -> bool:
    third, first = THIRD_PERSON_RE.search(text), FIRST_PERSON_RE.search(text)
    if third and not first:
        state.is_self, state.relation = False, _pronoun_of(text)
        return True
    if first and not third and len(text.split()) >= 3:  # "I was diagnosed", not a bare "me?"
        state.is_self = True
        return True
    return False


# The answer is about them when it starts with them: "he is 60", "yes, she was", "his hands".
PRONOUN_FIRST_RE = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|no|nope|nah|ok|well)\W+)?(?:he|she|hes|shes|he's|she's|his|her)\b", re.I
)


def _learn_pronoun(trial: Trial, state: State, text: str) -> None:
    """"Someone I care for", then "he is 60": the questions say "his" from now on, and the
    sex question is skipped as it is for "my husband"."""
    if state.is_self is not False or state.relation is not None or FIRST_PERSON_RE.search(text):
        return
    if not PRONOUN_FIRST_RE.match(text):
        return  # "the doctor said he thinks so": "he" may be someone else
    pronoun = _pronoun_of(text)
    if pronoun is not None:
        state.relation = pronoun
        _apply_subject(trial, state)


def _take_first_answer(trial: Trial, state: State, text: str, today: date) -> list[Reply]:
    """"My husband was diagnosed in August" names him and answers the first question: kept,
    so it is not asked. Only an answer in words; a bare "yes" to "who?" answers nothing."""
    question = current_question(trial, state)
    if question is None or parse_yes_no(text) is not None:
        return []
    value = read_answer(question, text, today)
    if value is not None and value != "unsure":
        _store(trial, state, question, value)
        return [read_back(trial, state, question, value, today)]
    return []


def _missed(trial: Trial, state: State) -> list[Reply]:
    """One more answer we could not read; every third in a row also points to the study team.

    The question is asked again after this (with "Not sure" and "Stop" from the second miss),
    so the person can still go on; the contact route is for someone the form keeps failing.
    """
    state.misses += 1
    if state.misses % (MISSES_BEFORE_HANDOFF + 1):
        return []
    answer = replies.handoff_answer(trial, "repeated_failure")
    return [
        Reply(text=answer.text, custom=answer.payload(), handoff="repeated_failure"),
        Reply(text=WORDS["back_to_question"]),
    ]


def _on_ruled_out(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    text = turn.text or ""
    # "I meant 61 not 16": the answer that ruled them out may have been a slip.
    corrected = _correct(trial, state, text, today, current=None)
    if corrected is not None:
        state.stage = ASKING
        replies = corrected + _after_answer(trial, state)
        if state.stage == ASKING and state.announced:
            state.stage = RULED_OUT  # an earlier reason still holds, so the choice stands
        return replies
    if text.strip().lower() == WORDS["stop_here"].lower() or STOP_RE.search(text) or _yes_no(turn) == "no":
        state.stage = DONE  # stopping here still shows the result and its reason
        return []
    if text == WORDS["finish"] or CONTINUE_RE.search(text) or _yes_no(turn) == "yes":
        state.stage = ASKING
        if next_question(trial, state.answers) is None:
            state.stage = REVIEW
        return []
    question = next_question(trial, state.answers)
    if question is not None and parse_yes_no(text) is None and read_answer(question, text, today) is not None:
        # "33" or "female": they went on answering, so they want to finish; a bare yes or
        # no stays the answer to "finish or stop?".
        state.stage = ASKING
        return _on_answer(trial, state, turn, today)
    answered = _trial_answer(trial, turn)
    return answered


def _on_answer(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    question = current_question(trial, state)
    if question is None:
        state.stage = DONE
        return []
    text = turn.text or ""
    if WHY_ASKED_RE.match(text):
        return [Reply(text=why_asked(trial, question))]
    if text.rstrip().endswith("?"):
        # "Can I keep taking riluzole?" asks about the trial; reading it as "yes" would guess.
        answered = _trial_answer(trial, turn)
        if answered:
            return answered
    if SUBJECT_STATEMENT_RE.search(text) or NOT_ME_RE.search(text) or SUBJECT_ONLY_RE.search(text):
        switched = _switch_subject(trial, state, text)
        if switched:
            return switched
    corrected = _correct(trial, state, text, today, current=question)
    if corrected is not None:
        return corrected + _after_answer(trial, state)
    _learn_pronoun(trial, state, text)
    value = read_answer(question, text, today)
    if value is None and (text.strip() == WORDS["not_sure"] or _only_a_hedge(question, text)):
        value = "unsure"
    if value is not None:
        _store(trial, state, question, value)
        said = [] if is_button_answer(question, text) else [read_back(trial, state, question, value, today)]
        return said + _after_answer(trial, state)
    if load_dialogue_words().says_past_correction(text):
        return [Reply(text=WORDS["which_answer"])]  # "I made a mistake": which one?
    if _names_current_subject(state, text):
        # "me" when the form already asks about them: not an unreadable answer.
        name = "the person you care for" if state.subject().name == "this person" else state.subject().name
        return [Reply(text=WORDS["subject_same"].format(name=name))]
    answered = _trial_answer(trial, turn)
    if answered:
        return answered
    return _switch_subject(trial, state, text) or _missed(trial, state)


def _correct(
    trial: Trial, state: State, text: str, today: date, current: Optional[Question], at_review: bool = False
) -> Optional[list[Reply]]:
    """A change to an earlier answer, in any wording ("actually I'm 45", "no, 4 months",
    "change my riluzole answer"): see bot.corrections for which answer it changes."""
    found = find_correction(trial, state.answers, state.order, text, today, current, at_review)
    if isinstance(found, Correction):
        return _update(trial, state, found.question, found.value)
    if isinstance(found, Redo):
        del state.answers[found.question.id]
        state.answers = answers_that_apply(trial, state.answers)
        state.order = [i for i in state.order if i in state.answers]
        state.misses = 0
        if state.stage == REVIEW:
            state.stage = ASKING
        return [Reply(text=WORDS["redo"])]
    return None


def why_asked(trial: Trial, question: Question) -> str:
    """The study's rules that read this question, in the trial file's own words.

    For "what does that mean?" and "why do you ask?": the person hears what the answer
    is for, and that "not sure" is fine, before the question comes again.
    """
    lines = [WORDS["why_asked"]]
    for criterion in trial.criteria:
        if criterion.known and question.id in criterion.question_ids():
            kind = "why_inclusion" if criterion.kind == "inclusion" else "why_exclusion"
            lines.append("- " + WORDS[kind].format(summary=criterion.summary.rstrip(".")))
    if len(lines) == 1:
        lines = [WORDS["why_unknown"]]
    lines.append(WORDS["why_not_sure"])
    return "\n".join(lines)


def _store(trial: Trial, state: State, question: Question, value: Any) -> None:
    """Keeps an answer, drops follow-ups it makes moot, and ends a run of misses."""
    state.answers[question.id] = value
    state.answers = answers_that_apply(trial, state.answers)
    state.order = [i for i in state.order if i != question.id and i in state.answers] + [question.id]
    state.misses = 0


def _update(trial: Trial, state: State, question: Question, value: Any) -> list[Reply]:
    _store(trial, state, question, value)
    return [Reply(text=WORDS["updated"].format(
        label=question.label, value=display_value(question, value)))]


def _only_a_hedge(question: Question, text: str) -> bool:
    """"not sure", "maybe", "I think so": unsure, unless the hedge comes with a number
    this question could not read ("maybe 14 months back" to "how old?"): that is asked again."""
    if parse_yes_no(text) != "unsure":
        return False
    return question.kind in ("yes_no", "recent_use") or not re.search(r"\d", numbers_to_digits(text))


def _after_answer(trial: Trial, state: State) -> list[Reply]:
    """Says so at once when an answer rules the person out; ends when nothing is left."""
    fails = ruled_out(trial, state.answers)
    # A reason a correction undid is forgotten, so it is said again if it comes back.
    state.announced = [i for i in state.announced if i in {r.id for r in fails}]
    new_fails = [r for r in fails if r.id not in state.announced]
    if new_fails:
        state.announced += [r.id for r in new_fails]
        who = "you" if state.subject().is_self else state.subject().name
        reasons = "\n".join(f"- {r.reason}" for r in new_fails)
        said = [Reply(text=f"{WORDS['ruled_out'].format(who=who)}\n{reasons}")]
        state.stage = REVIEW if next_question(trial, state.answers) is None else RULED_OUT
        return said
    if next_question(trial, state.answers) is None:
        state.stage = REVIEW
    elif state.stage == REVIEW:
        state.stage = ASKING  # a changed answer opened a question ("no riluzole": when did it stop?)
    return []


def _trial_answer(trial: Trial, turn: Turn) -> list[Reply]:
    """Answers a trial question asked mid-form; the form then asks its question again."""
    text = turn.text or ""
    looks_like_question = "?" in text or len(text.split()) >= QUESTION_MIN_WORDS
    if turn.confidence < QUESTION_CONFIDENCE or not looks_like_question:
        return []
    topic = replies.topic_for_intent(turn.intent)
    if topic is None or turn.intent == "check_eligibility":
        return []
    lexicon = load_lexicon()
    groups = [lexicon.group_of_medication(m.value) for m in find_entities(turn.text) if m.label == "medication"]
    answer = replies.answer_question(trial, topic, groups)
    if answer is None:
        return []
    return [Reply(text=answer.text, custom=answer.payload()), Reply(text=WORDS["back_to_question"])]


# Stages a person can come back to after a break (before consent nothing was kept).
RESUMABLE_STAGES = frozenset({FOR_WHOM, ASKING, RULED_OUT, REVIEW})


def can_resume(state: State) -> bool:
    return state.stage in RESUMABLE_STAGES


def _about(state: State) -> str:
    subject = state.subject()
    return "" if subject.is_self or subject.name == "this person" else f" about {subject.name}"


def resume_offer(trial: Trial, state: State) -> Reply:
    """The offer made when someone comes back after a break (a new session)."""
    given = len(state.order)
    if not given:
        return Reply(text=WORDS["welcome_back_consent"].format(about=_about(state)))
    count = "1 answer" if given == 1 else f"{given} answers"
    return Reply(text=WORDS["welcome_back"].format(about=_about(state), count=count))


def resumed(trial: Trial, state: State) -> str:
    """Said on carrying on: the answers so far, so the person sees where they are."""
    if not state.answers:
        return WORDS["resumed_none"]
    return "\n".join([WORDS["resumed"], answers_list(trial, state.answers)])


def answers_list(trial: Trial, answers: dict[str, Any]) -> str:
    """One line per answer, in the form's order: "- Age: 54"."""
    assert trial.screening is not None
    return "\n".join(
        f"- {q.label}: {display_value(q, answers[q.id])}" for q in trial.screening.questions if q.id in answers
    )


def answers_summary(trial: Trial, answers: dict[str, Any]) -> str:
    """The answers in plain words, for "show my answers"."""
    if not answers:
        return WORDS["no_answers"]
    return "\n".join([WORDS["your_answers"], answers_list(trial, answers)])


def is_button_answer(question: Question, text: str) -> bool:
    """A click (or the same words typed): the person chose what they see, nothing to read back."""
    said = " ".join(text.lower().split())
    return any(said in (b.title.lower(), str(b.value).lower()) for b in question.buttons) or said == WORDS[
        "not_sure"
    ].lower()


def read_back(trial: Trial, state: State, question: Question, value: Any, today: date) -> Reply:
    """One short line saying how a typed answer was read, so a misreading is fixed at once
    ("Got it: When the weakness started: about 14 months ago (around October 2025).")."""
    if value == "unsure":
        text = WORDS["read_back_unsure"].format(label=question.label)
    else:
        shown = display_value(question, value)
        when = _around(question, value, today)
        if when:
            shown = f"{shown} ({WORDS['around'].format(when=when)})"
        text = WORDS["read_back"].format(label=question.label, value=shown)
    if state.read_backs == 0:
        text = f"{text} {WORDS['read_back_hint']}"
    state.read_backs += 1
    return Reply(text=text)


# How precise a time must be for its month to be said back ("around October 2025").
MAX_MONTHS_FOR_A_MONTH = 3.0


def _around(question: Question, value: Any, today: date) -> Optional[str]:
    """The month a "months ago" answer points to, when it points to about one month."""
    if question.kind != "months_since":
        return None
    interval = Interval.from_json(value)
    if interval is None or interval.low is None or interval.high is None:
        return None
    if interval.high - interval.low > MAX_MONTHS_FOR_A_MONTH:
        return None
    months = round((interval.low + interval.high) / 2)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1).strftime("%B %Y")


def _on_review(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    """Every question is answered: the person confirms the answers, or changes one first."""
    text = turn.text or ""
    words = load_dialogue_words()
    if text.strip() == WORDS["review_confirm"] or words.confirms_review(text) or _is_intent(turn, "affirm"):
        state.stage = DONE
        return []
    if text.strip() == WORDS["review_change"] or words.asks_to_change(text):
        state.misses = 1  # the list was just shown: the prompt stays short
        return [Reply(text=WORDS["which_answer"])]
    corrected = _correct(trial, state, text, today, current=None, at_review=True)
    if corrected is not None:
        return corrected + _after_answer(trial, state)
    if text.rstrip().endswith("?") or len(text.split()) >= QUESTION_MIN_WORDS:
        answered = _trial_answer(trial, turn)
        if answered:
            return answered
    state.misses = 1
    return [Reply(text=WORDS["review_not_read"])]
