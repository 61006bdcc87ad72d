"""The intent classifier: which topic or move a message is, with calibrated confidences.

A linear model over three views of the text: word n-grams (the words people use),
character n-grams (their typos: "recuiting", "rilutec") and pretrained word vectors
(words our examples never used: "jab" near "injection"). It trains in seconds and
answers in well under a millisecond, so one model classifies a whole message and each
question in it (`bot.understanding.questions_in_message`). Kept free of Rasa; `adapters.nlu_component`
wraps it for the pipeline.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax

from bot.understanding.word_vectors import WordVectors, load_word_vectors


@dataclass(frozen=True)
class IntentSettings:
    """Chosen by cross-validation on the training data (C 20 / 50 / 100, n-gram ranges, ways of
    pooling the vectors), never by the real-world test set, which only reports."""

    regularisation: float = 100.0  # LogisticRegression's C: higher trusts the examples more
    vector_weight: float = 1.0  # how loud the pretrained vectors are beside the n-grams
    random_seed: int = 7


@dataclass(frozen=True)
class Ranked:
    intent: str
    confidence: float


@dataclass(frozen=True)
class WeightedView:
    """One view of the text (word or character n-grams) times its block of the weights, as
    scikit-learn's TfidfVectorizer.transform weighs a text: counts of the vocabulary's terms
    from the vectorizer's own analyzer, 1 + log of each (sublinear tf), times the idf, scaled
    to length 1. Without building a sparse matrix for one text, which cost ten times more."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # features by intents

    @staticmethod
    def of(vectorizer: TfidfVectorizer, weights: np.ndarray) -> Optional["WeightedView"]:
        """The view, or None for settings other than those this model trains with."""
        if not (vectorizer.use_idf and vectorizer.sublinear_tf and vectorizer.norm == "l2"
                and not vectorizer.binary):
            return None
        return WeightedView(vectorizer.build_analyzer(), vectorizer.vocabulary_,
                            np.asarray(vectorizer.idf_, dtype=np.float64), weights)

    def scores(self, text: str) -> np.ndarray:
        counts: dict[int, int] = {}
        for term in self.analyze(text):
            column = self.vocabulary.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(self.weights.shape[1])
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0) \
            * self.idf[columns]
        values /= np.sqrt(values @ values)
        return values @ self.weights[columns]


class IntentModel:
    """Fit on (text, intent) pairs; rank the intents of new texts."""

    def __init__(self, settings: IntentSettings = IntentSettings(),
                 vectors: Optional[WordVectors] = None) -> None:
        self.settings = settings
        self._vectors = vectors
        self._words = TfidfVectorizer(
            lowercase=True, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        )
        self._chars = TfidfVectorizer(
            lowercase=True, analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, min_df=2
        )
        self._classifier = LogisticRegression(
            C=settings.regularisation, max_iter=3000, class_weight="balanced",
            random_state=settings.random_seed,
        )

    @property
    def vectors(self) -> WordVectors:
        if self._vectors is None:
            self._vectors = load_word_vectors()
        return self._vectors

    @property
    def intents(self) -> list[str]:
        return [str(c) for c in self._classifier.classes_]

    def _features(self, texts: Sequence[str], fit: bool = False) -> sparse.csr_matrix:
        words = self._words.fit_transform(texts) if fit else self._words.transform(texts)
        chars = self._chars.fit_transform(texts) if fit else self._chars.transform(texts)
        dense = self.vectors.embed(texts) * self.settings.vector_weight
        return sparse.hstack([words, chars, sparse.csr_matrix(dense)], format="csr")

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> "IntentModel":
        self._classifier.fit(self._features(texts, fit=True), list(intents))
        self._cached_views = None
        return self

    def rank(self, texts: Sequence[str]) -> list[list[Ranked]]:
        """For each text, every intent from likeliest to least likely."""
        if not texts:
            return []
        probabilities = self._probabilities(texts)
        names = self.intents
        return [
            [Ranked(names[i], float(row[i])) for i in np.argsort(-row)]
            for row in probabilities
        ]

    def _probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """The classifier's own probabilities (multinomial: the softmax of its scores), each
        view weighed by its own block of the weights (`WeightedView`).

        `predict_proba` multiplies the stacked features by `coef_.T`, a strided view that
        scipy copies whole at every call (28,000 features by 44 intents), after sklearn's
        transforms have checked and built sparse matrices for one text: 2 ms a message, a
        quarter of the Rasa server's time under load, now 0.3 ms. The result is the same to
        1e-15 (tests/unit/test_intent_model.py).
        """
        views = self._views()
        if views is None:  # a model this fast path does not cover: sklearn's own way
            return self._classifier.predict_proba(self._features(texts))
        words, chars, dense = views
        scores = np.stack([words.scores(text) + chars.scores(text) for text in texts])
        scores += (self.vectors.embed(texts) * self.settings.vector_weight) @ dense
        return softmax(scores + self._classifier.intercept_)

    def _views(self) -> Optional[tuple["WeightedView", "WeightedView", np.ndarray]]:
        views = getattr(self, "_cached_views", None)
        if views is None:
            if len(self._classifier.classes_) <= 2:  # one score, not a softmax
                return None
            weights = np.ascontiguousarray(self._classifier.coef_.T)
            n_words, n_chars = len(self._words.vocabulary_), len(self._chars.vocabulary_)
            words = WeightedView.of(self._words, weights[:n_words])
            chars = WeightedView.of(self._chars, weights[n_words:n_words + n_chars])
            if words is None or chars is None:
                return None
            views = (words, chars, weights[n_words + n_chars:])
            self._cached_views = views
        return views

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_cached_views", None)  # made again from the classifier after loading
        state.pop("_blocks", None)  # the name of that cache in models trained before
        return state

    def save(self, path: Path) -> None:
        # The vectors are not pickled: they are installed files, loaded again by `load`.
        vectors, self._vectors = self._vectors, None
        try:
            path.write_bytes(pickle.dumps(self))
        finally:
            self._vectors = vectors

    @staticmethod
    def load(path: Path) -> "IntentModel":
        model = pickle.loads(path.read_bytes())
        if not isinstance(model, IntentModel):
            raise TypeError(f"{path} holds no IntentModel")
        return model
