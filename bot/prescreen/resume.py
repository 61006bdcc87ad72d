"""Coming back after a break: which pre-screens can be carried on, and what is said then."""
from __future__ import annotations

from bot.prescreen.state import ASKING, FOR_WHOM, REVIEW, RULED_OUT, STOPPED, WORDS, Reply, State, answers_list
from bot.trial.model import Trial


# Stages a person can come back to after a break (before consent nothing was kept).
RESUMABLE_STAGES = frozenset({FOR_WHOM, ASKING, RULED_OUT, REVIEW})


def can_resume(state: State) -> bool:
    """Unfinished, or stopped part-way ("stop", "I'm tired, later"): it can be carried on."""
    return state.stage in RESUMABLE_STAGES or (state.stage == STOPPED and state.stopped_at in RESUMABLE_STAGES)


def resume_state(state: State) -> State:
    """The pre-screen as it was where the person stopped, to carry on from there."""
    if state.stage == STOPPED and state.stopped_at in RESUMABLE_STAGES:
        state.stage = state.stopped_at
    state.stopped_at, state.misses = None, 0
    return state


def _about(state: State) -> str:
    subject = state.subject()
    return " " + WORDS["about_whom"].format(name=subject.name) if subject.named else ""


def resume_offer(trial: Trial, state: State) -> Reply:
    """The offer made when someone comes back after a break (a new session)."""
    given = len(state.order)
    if not given:
        return Reply(text=WORDS["welcome_back_consent"].format(about=_about(state)))
    count = WORDS["answer_count_one" if given == 1 else "answer_count"].format(count=given)
    return Reply(text=WORDS["welcome_back"].format(about=_about(state), count=count))


def resumed(trial: Trial, state: State) -> str:
    """Said on carrying on: the answers so far, so the person sees where they are."""
    if not state.answers:
        return WORDS["resumed_none"]
    return "\n".join([WORDS["resumed"], answers_list(trial, state.answers)])
