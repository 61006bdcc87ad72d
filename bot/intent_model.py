"""The intent classifier: which topic or move a message is, with calibrated confidences.

A linear model over three views of the text: word n-grams (the words people use),
character n-grams (their typos: "recuiting", "rilutec") and pretrained word vectors
(words our examples never used: "jab" near "injection"). It trains in seconds and
answers in well under a millisecond, so one model classifies a whole message and each
question in it (`bot.questions_in_message`). Kept free of Rasa; `bot.nlu_component`
wraps it for the pipeline.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax

from bot.word_vectors import WordVectors, load_word_vectors


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
        self._blocks = None
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
        """The classifier's own probabilities (multinomial: the softmax of its scores), from
        each view times its own block of weights.

        `predict_proba` multiplies the stacked features by `coef_.T`, a strided view that
        scipy copies whole at every call (28,000 features by 44 intents), and stacking the
        views copies them again: 2 ms a message, a quarter of the Rasa server's time under
        load. The blocks are copied once; the result is the same to 1e-15.
        """
        if len(self._classifier.classes_) <= 2:  # one score, not a softmax: sklearn's own way
            return self._classifier.predict_proba(self._features(texts))
        words, chars, dense = self._weight_blocks()
        scores = (self._words.transform(texts) @ words + self._chars.transform(texts) @ chars
                  + (self.vectors.embed(texts) * self.settings.vector_weight) @ dense)
        return softmax(np.asarray(scores) + self._classifier.intercept_)

    def _weight_blocks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        blocks = getattr(self, "_blocks", None)
        if blocks is None:
            weights = np.ascontiguousarray(self._classifier.coef_.T)
            n_words, n_chars = len(self._words.vocabulary_), len(self._chars.vocabulary_)
            blocks = (weights[:n_words], weights[n_words:n_words + n_chars],
                      weights[n_words + n_chars:])
            self._blocks = blocks
        return blocks

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_blocks", None)  # made again from the classifier after loading
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
