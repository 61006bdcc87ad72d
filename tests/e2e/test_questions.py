"""A new user's questions over REST: each answer must carry the right facts."""
from __future__ import annotations

import re

import pytest

from tests.claims import claims_it_works, claims_recruiting
from tests.e2e.conftest import text_of

# (question as people type it, facts the answer must contain as regexes)
QUESTIONS = [
    ("whats this study trying to find out", [r"safe", r"ALS"]),
    ("what r they testing exactly", [r"fat", r"spine|spinal"]),
    ("how do they get the cells out of me", [r"fat", r"lab"]),
    ("is the injection like a spinal tap", [r"lumbar puncture|spinal tap"]),
    ("how many shots would my husband get", [r"\b4\b|four", r"3 months"]),
    ("how many million cells per dose", [r"10 to 100 million"]),
    ("why do they think this could help als", [r"riluzole|edaravone", r"inflamm|repair"]),
    ("any side effects", [r"back pain", r"27"]),
    ("is it safe??", [r"Phase 1", r"safe"]),
    ("does it actually work", [r"not proven|not known|no one knows", r"ALSFRS-R"]),
    ("what were the results so far", [r"75", r"58"]),
    ("can I keep taking rilutek", [r"[Rr]iluzole", r"stable", r"30 days"]),
    ("my wife is on radicava can she still do this", [r"[Ee]daravone|Radicava", r"30 days"]),
    ("do i need to stop prednisone", [r"4 weeks"]),
    ("what about my vitamins and supplements", [r"supplement"]),
    ("which meds are not allowed", [r"[Rr]iluzole", r"[Ee]daravone", r"4 weeks"]),
    ("how long is the whole thing", [r"12 months", r"2 to 4 weeks"]),
    ("how many visits to the clinic", [r"\b4\b", r"in-person"]),
    ("who can be in this trial", [r"18", r"2 years", r"not recruiting"]),
    ("what are the requirements to join", [r"18", r"not recruiting"]),
    ("is there an age limit", [r"18"]),
    ("can women join", [r"birth control|menopause"]),
    ("will some people get a placebo", [r"[Nn]o placebo|no placebo|not.*placebo"]),
    ("what does phase 2 mean", [r"Phase 2", r"safety"]),
    ("who is funding this", [r"Mayo Clinic", r"Minnesota"]),
    ("who are the doctors running it", [r"Staff", r"Windebank"]),
    ("where is the study done", [r"Rochester", r"not recruiting"]),
    ("is there a site in florida", [r"Rochester", r"Florida"]),
    ("are they still enrolling", [r"not recruiting", r"2023"]),
    ("is it too late to sign up", [r"not recruiting"]),
    ("how do i contact the research team", [r"NCT03268603", r"Megan Means", r"not recruiting"]),
    ("whats the phone number", [r"phone", r"NCT03268603"]),
    ("how much does it cost", [r"study team", r"not recruiting"]),
    ("do they pay for travel and hotel", [r"travel", r"study team"]),
    ("what are your sources", [r"ClinicalTrials\.gov|NCT03268603", r"27784774"]),
    ("what do they measure to judge it", [r"adverse events", r"ALSFRS-R", r"48"]),
    ("were people given these cells in an earlier trial", [r"27", r"NCT01609283", r"did not show"]),
    ("how much does the spinal needle hurt", [r"lumbar puncture", r"does not describe"]),
    ("why do some trials give a placebo", [r"no placebo", r"placebo effect"]),
    ("where could we buy stem cell therapy for als", [r"has not approved", r"only in research", r"FDA"]),
]


@pytest.mark.parametrize("question,facts", QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_answer_has_the_facts(chat, question: str, facts: list[str]) -> None:
    answer = text_of(chat(question))
    for fact in facts:
        assert re.search(fact, answer), f"{question!r} -> {answer!r} lacks {fact!r}"




def test_no_answer_claims_recruiting_or_that_it_works(chat) -> None:
    for question, _ in QUESTIONS:
        answer = text_of(chat(question))
        assert not claims_recruiting(answer), (question, answer)
        assert not claims_it_works(answer), (question, answer)


def test_answers_cite_their_sources(chat) -> None:
    messages = chat("any side effects")
    payloads = [m["custom"] for m in messages if "custom" in m]
    assert payloads and payloads[0]["type"] == "answer"
    assert any("27784774" in s["title"] for s in payloads[0]["sources"])


def test_sources_follow_the_previous_answer(chat) -> None:
    chat("is there a placebo", sender="sources-user")
    answer = text_of(chat("source?", sender="sources-user"))
    assert "placebo" in answer.lower()
    assert "ClinicalTrials.gov" in answer
