"""The vocabulary files' shapes, declared (pydantic 1.10, within Rasa 3.6's pins): a file that
misses a list, misspells a key or leaves a phrase or a sentence empty is refused when it is
loaded, with the path and the place, instead of failing on some later message.

data/dialogue_words.yml (how people steer the pre-screen), data/message_splitting.yml (where
one message holds several questions) and data/prescreen_messages.yml (what the pre-screen says).
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Type, TypeVar

import yaml
from pydantic import BaseModel, ConstrainedStr, ValidationError, conint

Model = TypeVar("Model", bound=BaseModel)


class Said(ConstrainedStr):
    """A phrase or a sentence: text, not empty (an unquoted yes / no in YAML is not text)."""

    strict = True
    strip_whitespace = True
    min_length = 1


class _Shape(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt key is an error, not a list that is never read
        allow_mutation = False


class Corrections(_Shape):
    past: List[Said]
    soft: List[Said]
    filler: List[Said]
    replaced: List[Said]


class Review(_Shape):
    confirm: List[Said]
    glue: List[Said]
    change: List[Said]
    change_request: List[Said]


class InTheForm(_Shape):
    pause: List[Said]
    care: List[Said]
    carry_on: List[Said]
    carry_on_glue: List[Said]


class DialogueWordsFile(_Shape):
    corrections: Corrections
    review: Review
    in_the_form: InTheForm


class MessageSplittingFile(_Shape):
    sentence_ends: List[Said]
    joiners: List[Said]
    question_openers: List[Said]
    also_asking: List[Said]
    min_words: conint(strict=True, ge=1)  # type: ignore[valid-type]


class PrescreenMessagesFile(_Shape):
    messages: Dict[str, Said]


def load_as(path: Path, shape: Type[Model]) -> Model:
    """The YAML file at `path`, checked against `shape`; ValueError names the file and the place."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return shape.parse_obj(raw)
    except ValidationError as error:
        raise ValueError(f"{path}: {error}") from None
