"""Plain language, measured: every sentence a person sees, at about an 8th-grade reading level.

The figure is the Flesch-Kincaid grade (textstat, pinned) of each source as a whole: the trial
file's answers, questions, rules and reasons; the pre-screen's messages (its result too); the
assistant's other messages (greeting, menu, errors); the domain's responses; and the chat page's
own texts and errors. The code writes no sentence of its own (tests/unit/test_prescreen_messages.py). It is printed per source (`pytest -s`). A grade is a rough measure: medical terms the
sources use stay (each is explained in plain words where it is used), so the bar is "about 8":
each source at 8.5 or under, and no long text (12 words or more) above grade 12, the outliers
a reader would stumble on.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import textstat
import yaml

from bot.paths import REPO_ROOT
from bot.trial import replies
from bot.trial.loading import load_trial_file

TRIAL_FILE = REPO_ROOT / "data" / "trials" / "NCT03268603.yml"
SOURCE_GRADE = 8.5
LONG_TEXT_WORDS = 12
LONG_TEXT_GRADE = 12.0
# The trial file's keys whose values a person reads (titles and labels are names, not sentences,
# and are read inside these).
TRIAL_TEXT_KEYS = {"summary", "answer", "reason", "consent", "unanswered_reason", "either_side_reason",
                   "self", "other", "example", "asked", "repeated_failure", "closing"}
PLACEHOLDER = re.compile(r"\{\w+\}")


def _strings(node: object, keys: set[str], key: str | None = None) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(v, keys, k)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v, keys, key)]
    return [node] if isinstance(node, str) and key in keys else []


def trial_texts() -> list[str]:
    return _strings(yaml.safe_load(TRIAL_FILE.read_text()), TRIAL_TEXT_KEYS)


def _messages(name: str) -> list[str]:
    return list(yaml.safe_load((REPO_ROOT / "data" / name).read_text())["messages"].values())


def prescreen_texts() -> list[str]:
    return _messages("prescreen_messages.yml")


def assistant_texts() -> list[str]:
    """The code's other sentences; the greeting as said, around the trial file's words."""
    return _messages("assistant_messages.yml") + [replies.greeting(load_trial_file(TRIAL_FILE))]


def domain_texts() -> list[str]:
    responses = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["responses"]
    return [variant["text"] for variants in responses.values() for variant in variants if "text" in variant]


class _VisibleText(HTMLParser):
    """The page's texts, one per block (a paragraph, a heading, a button, a label...); inline
    markup (the notice's retention days) stays inside its sentence."""

    INLINE = {"span", "strong", "em", "b", "i", "kbd"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = [""]
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("script", "style", "head", "noscript")
        if tag not in self.INLINE:
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style", "head", "noscript")
        if tag not in self.INLINE:
            self.texts.append("")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts[-1] = " ".join((self.texts[-1] + " " + data).split())


def page_texts() -> list[str]:
    """The page's own words: index.html and the scripts' texts.js (its server's errors are in
    data/assistant_messages.yml)."""
    html = _VisibleText()
    html.feed((REPO_ROOT / "web" / "page" / "index.html").read_text())
    script = (REPO_ROOT / "web" / "page" / "texts.js").read_text()
    texts = json.loads(script[script.index("= {") + 2: script.index("};") + 1])
    return [t for t in html.texts if t] + list(texts.values())


SOURCES = {
    "data/trials/NCT03268603.yml": trial_texts,
    "data/prescreen_messages.yml": prescreen_texts,
    "domain.yml (responses)": domain_texts,
    "data/assistant_messages.yml": assistant_texts,
    "web/page/ (the page)": page_texts,
}


def _readable(text: str) -> str:
    """A text as a person reads it: placeholders as a plain word, a fragment as a sentence."""
    text = PLACEHOLDER.sub("it", text).strip()
    return text if text[-1:] in ".?!:" else text + "."


def grade(texts: list[str]) -> float:
    return textstat.flesch_kincaid_grade(" ".join(_readable(t) for t in texts if t.strip()))


def outliers(texts: list[str]) -> list[tuple[float, str]]:
    long = [t for t in texts if textstat.lexicon_count(_readable(t)) >= LONG_TEXT_WORDS]
    return sorted(((textstat.flesch_kincaid_grade(_readable(t)), t) for t in long), reverse=True)


@pytest.mark.parametrize("source", SOURCES)
def test_each_source_reads_at_about_an_8th_grade_level(source: str) -> None:
    texts = SOURCES[source]()
    assert len(texts) >= 5, f"{source}: read nothing to measure"
    figure = grade(texts)
    hardest = outliers(texts)
    print(f"\n{source}: Flesch-Kincaid grade {figure:.1f} over {len(texts)} texts; hardest long text "
          f"{hardest[0][0]:.1f}: {hardest[0][1][:90]!r}")
    assert figure <= SOURCE_GRADE, f"{source} reads at grade {figure:.1f}"
    too_hard = [(round(g, 1), t) for g, t in hardest if g > LONG_TEXT_GRADE]
    assert too_hard == [], f"{source}: reword these"


def test_the_measure_tells_plain_words_from_hard_ones() -> None:
    """The same measure, on two ways of saying one rule."""
    plain = ["You can't join if you took edaravone in the last 30 days."]
    hard = ["Participants with documented administration of edaravone within the thirty-day "
            "interval preceding screening evaluation are considered ineligible for enrollment."]
    assert grade(plain) <= SOURCE_GRADE < LONG_TEXT_GRADE < grade(hard)
    assert outliers(hard) and not [g for g, _ in outliers(plain) if g > LONG_TEXT_GRADE]
