"""Answers from the sources: the trial file's facts, ranked against a question.

The intent classifier knows the ways of asking it was taught; a question asked another way
("any human data yet") may still share words or meaning with a fact the trial file holds.
Each sentence of a topic's answer (and of a medicine's rule) is a short passage that keeps
its topic and sources. A question is scored against every passage by meaning (the same
WordLlama vectors the classifier reads: cosine of the mean token vectors) and by words
(BM25 over word stems, so "measured" meets "measures"). A topic scores as its best passage.

Everything is built once, at start-up; a message then costs one embedding and a few
dictionary look-ups (well under a millisecond for ~150 passages). Kept free of Rasa.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

import numpy as np
import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.trial.model import Trial
from bot.understanding.word_vectors import WordVectors

# BM25's usual constants (term saturation, length normalisation).
K1 = 1.2
B = 0.75
# How loud words are beside meaning. Chosen on the training examples (scripts/calibrate_passages.py),
# never on the real-world test sets.
LEXICAL_WEIGHT = 0.25
# Topics whose answer holds no fact of the trial: never an answer from the sources.
NOT_FACTS = frozenset({"care", "sources"})

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"(])")
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Passage:
    """One fact: a sentence of an answer, with the topic and sources it came from.

    `quote` is what a reply says: the sentence with the one before it, so "It found..."
    still says what "it" is.
    """

    id: str
    topic: str
    text: str
    sources: tuple[str, ...]
    quote: str = ""


@dataclass(frozen=True)
class Match:
    """A topic's best passage for a question, and its score (meaning + words)."""

    topic: str
    passage: Passage
    score: float


def terms(text: str) -> list[str]:
    """The stems of a text's content words ("Measuring the outcomes" -> measur, outcom)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return _STEMMER.stemWords(words)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def passage_of(trial: Trial, passage_id: str) -> Optional[Passage]:
    """The passage NLU named (its id in the parse data), or None if the trial has no such one."""
    return next((p for p in trial_passages(trial) if p.id == passage_id), None)


def trial_passages(trial: Trial) -> list[Passage]:
    """Every sentence of every topic's answer and medicine rule, with its topic and sources."""
    found = []
    for topic in trial.topics.values():
        if topic.id in NOT_FACTS or not topic.sources:
            continue
        found += _of_answer(topic.id, topic.id, topic.answer, topic.sources)
    for group, rule in trial.medications.items():
        found += _of_answer(f"medications.{group}", "medications", rule.answer, rule.sources)
    return found


def _of_answer(prefix: str, topic: str, answer: str, sources: tuple[str, ...]) -> list[Passage]:
    said = sentences(answer)
    return [
        Passage(f"{prefix}.{i}", topic, sentence, sources, " ".join(said[max(0, i - 1):i + 1]))
        for i, sentence in enumerate(said)
    ]


class PassageIndex:
    """The passages of one trial, with their vectors and BM25 weights, built once."""

    def __init__(self, passages: Sequence[Passage], vectors: WordVectors,
                 titles: Optional[dict[str, str]] = None) -> None:
        if not passages:
            raise ValueError("no passages to index")
        self.passages = list(passages)
        self._vectors = vectors
        titles = titles or {}
        # A passage is read with its topic's title: "The spinal injection: ..." adds the words
        # the sentence itself may leave out.
        texts = [f"{titles.get(p.topic, '')} {p.text}".strip() for p in self.passages]
        # Mean token vectors share a large common part; centred on the passages' mean, the
        # cosine tells topics apart better (top topic right on 45% of the training examples
        # either way, but 62% against 57% among the surest tenth).
        matrix = vectors.embed(texts)
        self._centre = matrix.mean(axis=0)
        self._matrix = _unit(matrix - self._centre)
        bags = [Counter(terms(t)) for t in texts]
        average = sum(sum(b.values()) for b in bags) / len(bags)
        documents = Counter(term for bag in bags for term in bag)
        n = len(bags)
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in documents.items()}
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for row, bag in enumerate(bags):
            length = sum(bag.values())
            for term, count in bag.items():
                saturation = count * (K1 + 1) / (count + K1 * (1 - B + B * length / average))
                self._postings[term].append((row, self._idf[term] * saturation))

    @classmethod
    def of_trial(cls, trial: Trial, vectors: WordVectors) -> "PassageIndex":
        return cls(trial_passages(trial), vectors, {t.id: t.title for t in trial.topics.values()})

    def _scores(self, text: str) -> np.ndarray:
        meaning = self._matrix @ _unit(self._vectors.embed([text]) - self._centre)[0]
        query = set(terms(text))
        # The share of the question's known words a passage holds, weighted by their rarity.
        mass = sum(self._idf.get(t, 0.0) for t in query)
        words = np.zeros(len(self.passages), dtype=np.float32)
        for term in query:
            for row, weight in self._postings.get(term, ()):
                words[row] += weight
        if mass:
            words /= mass
        return meaning + LEXICAL_WEIGHT * words

    def rank(self, text: str, most: int = 3) -> list[Match]:
        """The topics whose passages best fit the text, best first (one match per topic)."""
        if not text.strip():
            return []
        scores = self._scores(text)
        best: dict[str, Match] = {}
        for row in np.argsort(-scores):
            passage = self.passages[int(row)]
            if passage.topic not in best:
                best[passage.topic] = Match(passage.topic, passage, float(scores[row]))
                if len(best) == most:
                    break
        return list(best.values())


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def as_parse_data(matches: Iterable[Match]) -> list[dict]:
    """The matches as NLU parse data: each topic's intent, score and passage id."""
    return [
        {"intent": f"ask_{m.topic}", "confidence": round(m.score, 4), "passage": m.passage.id}
        for m in matches
    ]
