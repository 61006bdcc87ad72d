"""Answers that give a time against a question's window ("any in the last 30 days?"): which
side of the line a time ago or a span falls, and "the study team will check" when it may
fall on either."""
from __future__ import annotations

from typing import Optional

from bot.prescreen.kinds.medicine_use import use_words
from bot.trial.model import AnswerValue, Question
from bot.understanding.interval import Interval
from bot.understanding.reading import Reading


ASK_AGAIN = "ask again"


def side_of(days: Interval, line: float, at_least: str, below: str) -> str:
    """`below` when every day in the interval is under the line, `at_least` when none is;
    'unsure' when the interval crosses it ("about a month" for a 30-day line)."""
    if days.all_less_than(line):
        return below
    if days.all_at_least(line):
        return at_least
    return "unsure"


def read_window(window: Interval, within_days: int, said: Optional[str]) -> Optional[str]:
    """"Not in the last 2 months": none in a span surely as long as ours is a no; "yes, in
    the last week" a yes; a span that may be shorter than ours says nothing (asked again)."""
    if said == "no" and window.all_at_least(within_days):
        return "no"
    if said == "yes" and window.all_at_most(within_days):
        return "yes"
    return None


def time_since_answer(question: Question, reply: Reading, said: Optional[str]) -> Optional[str]:
    """A yes/no question about the last `within_days` days answered with a time: "the study
    ended 2 weeks ago" is a yes, "3 months ago" a no, "about a month ago" unsure. None when
    the answer gives no such time (or "since", which says it still goes on)."""
    if question.within_days is None or use_words().since.search(reply.joined):
        return None
    window = reply.window
    if window is not None:
        return read_window(window, question.within_days, said) or ASK_AGAIN
    days = reply.days_ago
    if days is None:
        return None
    return side_of(days, question.within_days, at_least="no", below="yes")


def last_use(days: Interval, within_days: int) -> AnswerValue:
    """'yes' (used within the window) or 'no' when the days since the last dose decide it;
    across the line ("about a month ago" for 30 days), the days themselves.

    Stored as an interval, the answer is still the person's own, not a doubt of theirs:
    the result says it could be on either side of the study's limit, not "you weren't sure".
    """
    side = side_of(days, within_days, at_least="no", below="yes")
    return days.to_json() if side == "unsure" else side


def says_a_time(reply: Reading) -> bool:
    """A time ago, a span or a start is said; how often ("twice a day") is not a time."""
    plain = reply.without_frequency
    return plain.days_since is not None or plain.window is not None
