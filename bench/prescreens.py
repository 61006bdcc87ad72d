"""Many people pre-screening at once over REST, each checked for the right verdict.

    make load                      # 100 people against a running `make run` (RASA_PORT)
    .venv/bin/python -m bench.prescreens --people 20 --rasa http://127.0.0.1:5005

Each simulated person opens the pre-screen, consents, and answers every question it is asked
in free text, from one of three scripts whose verdict is known: likely eligible, likely not
eligible (took Radicava two weeks ago; finishes the questions after the rule-out) and needs
review (not sure about an autoimmune disease). All start together, one thread each.

Prints figures (people per verdict, right verdicts, turns, reply times); timings on a shared
machine are noisy, so nothing here asserts a time. Exits 1 when any person did not get the
verdict their answers call for. tests/e2e/test_load.py runs it with 20 people; `make bench`
runs it with 100 and drives the same people's pre-screens in its message mix (`next_message`).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Optional, Sequence, Union

import requests

from bot.prescreen.subject import Subject
from bot.trial.replies import TECHNICAL_PROBLEM
from bot.trial.loading import load_trial
from tests.prescreen_driver import ELIGIBLE_MAN, next_said, result_of, where_in

TRIAL = load_trial()
SELF = Subject.self()

# The same eligible man as every pre-screen test (tests/prescreen_driver.py), and two others.
PERSONAS = {  # expected verdict -> answers
    "likely_eligible": ELIGIBLE_MAN,
    "likely_not_eligible": dict(ELIGIBLE_MAN, edaravone_recent="I stopped radicava 2 weeks ago"),
    "needs_review": dict(ELIGIBLE_MAN, autoimmune="Not sure"),
}


@dataclass
class Outcome:
    expected: str
    age: int = 54  # each person's own age, so a stored screening shows whose it is
    sender: str = ""
    verdict: Optional[str] = None
    turns: int = 0
    seconds: list[float] = field(default_factory=list)
    technical_problems: int = 0  # replies that were the channel's technical-problem message
    error: Optional[str] = None
    transcript: list[str] = field(default_factory=list)  # what the bot said, a line per turn

    @property
    def right(self) -> bool:
        return self.error is None and self.verdict == self.expected


def verdict_of(messages: list[dict]) -> Optional[str]:
    return (result_of(messages) or {}).get("verdict")


OPENING = ("am i eligible", "Yes, I agree")  # asks for the pre-screen, then consents


def next_message(answers: dict[str, str], replies: list[dict]) -> Optional[str]:
    """What this person says next: the answer to the question asked, the button that goes on
    (after a rule-out, at the review), or None when the replies ask nothing they know. Read
    as every pre-screen test reads the bot's messages (tests/prescreen_driver.py)."""
    return next_said(where_in(replies, SELF, TRIAL), answers)


def answers_of(expected: str, age: int = 54) -> dict[str, str]:
    """The free-text answers of a person whose verdict should be `expected`."""
    return dict(PERSONAS[expected], age=f"I'm {age}")


Servers = Union[str, Sequence[str]]


def prescreen(rasa: Servers, expected: str, start: threading.Barrier, age: int = 54,
              timeout: float = 300) -> Outcome:
    """One person's whole pre-screen; the outcome says what verdict they got. Given several
    Rasa servers, the person's turns go to each in turn (the scale-out test)."""
    servers = [rasa] if isinstance(rasa, str) else list(rasa)
    sender = f"load-{uuid.uuid4().hex}"
    answers, outcome = answers_of(expected, age), Outcome(expected, age, sender)
    session = requests.Session()

    def say(message: str) -> list[dict]:
        began = time.perf_counter()
        server = servers[outcome.turns % len(servers)]
        response = session.post(f"{server}/webhooks/rest/webhook",
                                json={"sender": sender, "message": message}, timeout=timeout)
        outcome.seconds.append(time.perf_counter() - began)
        outcome.turns += 1
        response.raise_for_status()
        messages = response.json()
        outcome.technical_problems += any(m.get("text") == TECHNICAL_PROBLEM for m in messages)
        outcome.transcript.append(" | ".join(m.get("text") or "" for m in messages))
        return messages

    try:
        start.wait()
        say(OPENING[0])
        last = say(OPENING[1])
        for _ in range(40):
            outcome.verdict = verdict_of(last)
            if outcome.verdict is not None:
                return outcome
            message = next_message(answers, last)
            if message is None:
                texts = " | ".join((m.get("text") or "")[:80] for m in last)
                outcome.error = f"no question and no result after {outcome.turns} turns: {texts}"
                return outcome
            last = say(message)
        outcome.error = "the pre-screen did not end"
    except (requests.RequestException, ValueError) as error:
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        session.close()
    return outcome


def run(rasa: Servers, people: int) -> tuple[list[Outcome], float]:
    """`people` pre-screens at once, the three scripts in turn; (outcomes, wall seconds)."""
    expected = [list(PERSONAS)[i % len(PERSONAS)] for i in range(people)]
    ages = [30 + i % 45 for i in range(people)]  # all in the study's range, different neighbours
    start = threading.Barrier(people)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=people) as pool:
        outcomes = list(pool.map(lambda e, a: prescreen(rasa, e, start, a), expected, ages))
    return outcomes, time.perf_counter() - began


def figures(outcomes: list[Outcome], wall: float) -> dict:
    times = sorted(t for o in outcomes for t in o.seconds)
    quantile = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else 0.0  # noqa: E731
    return {
        "people": len(outcomes),
        "right_verdicts": sum(o.right for o in outcomes),
        "by_expected_verdict": {v: sum(o.right for o in outcomes if o.expected == v) for v in PERSONAS},
        "errors": [o.error for o in outcomes if o.error],
        "wrong": [{"expected": o.expected, "got": o.verdict} for o in outcomes if not o.right and not o.error],
        "turns": len(times),
        "technical_problem_replies": sum(o.technical_problems for o in outcomes),
        "wall_seconds": round(wall, 1),
        "turns_per_second": round(len(times) / wall, 1) if wall else 0.0,
        "reply_seconds": {"median": round(statistics.median(times), 3) if times else 0.0,
                          "p90": round(quantile(0.9), 3), "p95": round(quantile(0.95), 3),
                          "p99": round(quantile(0.99), 3),
                          "max": round(times[-1], 3) if times else 0.0},
    }


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa", default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}",
                        help="the Rasa server of a running `make run` (default: RASA_PORT); "
                             "several, comma-separated, take each person's turns in turn")
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    outcomes, wall = run([url.rstrip("/") for url in args.rasa.split(",")], args.people)
    summary = figures(outcomes, wall)
    if args.json:
        print(json.dumps({**summary, "outcomes": [asdict(o) | {"right": o.right} for o in outcomes]}))
    else:
        replies = summary["reply_seconds"]
        print(f"{summary['people']} pre-screens at once against {args.rasa}")
        print(f"  right verdicts: {summary['right_verdicts']} of {summary['people']} "
              f"({', '.join(f'{v} {n}' for v, n in summary['by_expected_verdict'].items())})")
        print(f"  turns: {summary['turns']} in {summary['wall_seconds']} s "
              f"({summary['turns_per_second']} a second); technical-problem replies: "
              f"{summary['technical_problem_replies']}")
        print(f"  reply time (s): median {replies['median']}, 90% {replies['p90']}, 95% {replies['p95']}, "
              f"99% {replies['p99']}, longest {replies['max']}")
        for wrong in summary["wrong"]:
            print(f"  wrong verdict: expected {wrong['expected']}, got {wrong['got']}")
        for error in summary["errors"][:10]:
            print(f"  failed: {error}")
    return 0 if summary["right_verdicts"] == summary["people"] else 1


if __name__ == "__main__":
    sys.exit(main())
