"""Pretrained word knowledge without a model hub: WordLlama's static token embeddings.

The NLU learnt words only from our own examples, so "hospital" and "clinic" or "jab" and
"injection" were strangers to it. WordLlama ships 256-dimension token embeddings (MIT)
inside its wheel; `scripts/fetch-word-vectors.sh` takes the two files out of the pinned,
hash-checked wheel. Loading them needs only `safetensors` and `tokenizers`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from bot.paths import MODELS_DIR

DEFAULT_DIR = MODELS_DIR / "wordllama"
WEIGHTS = "l2_supercat_256.safetensors"
TOKENIZER = "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"


class WordVectors:
    """Mean of the token embeddings of a text, as a unit vector (zeros for an empty text)."""

    def __init__(self, embedding: np.ndarray, tokenizer: Tokenizer) -> None:
        self._embedding = np.ascontiguousarray(embedding, dtype=np.float32)
        self._tokenizer = tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    @property
    def dimension(self) -> int:
        return int(self._embedding.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        # Lower case: people type "mayo", "Mayo" and "MAYO"; the tokenizer keeps case apart.
        encodings = self._tokenizer.encode_batch(
            [t.lower() for t in texts], add_special_tokens=False
        )
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, len(self._embedding) - 1)
            if ids.size:
                mean = self._embedding[ids].mean(axis=0)
                norm = float(np.linalg.norm(mean))
                out[row] = mean / norm if norm else mean
        return out


@lru_cache(maxsize=2)
def load_word_vectors(directory: Path = DEFAULT_DIR) -> WordVectors:
    weights, tokenizer = directory / WEIGHTS, directory / TOKENIZER
    if not weights.exists() or not tokenizer.exists():
        raise FileNotFoundError(
            f"word vectors missing in {directory}: run 'bash scripts/fetch-word-vectors.sh' "
            "(make does this before training)"
        )
    return WordVectors(load_file(str(weights))[TENSOR], Tokenizer.from_file(str(tokenizer)))
