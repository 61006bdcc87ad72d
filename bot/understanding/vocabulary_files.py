"""The vocabulary files' shapes, declared (pydantic 1.10, within Rasa 3.6's pins): a file that
misses a list, misspells a key or leaves a phrase or a sentence empty is refused when it is
loaded, with the path and the place, instead of failing on some later message.

data/dialogue_words.yml (how people steer the pre-screen), data/message_splitting.yml (where
one message holds several questions), data/prescreen_messages.yml (what the pre-screen says)
and data/phrase_rules.yml (the phrases that steer a reply, as rules after medspaCy's ConText).
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Literal, Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, ConstrainedStr, ValidationError, conint, root_validator

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


class PhraseRule(_Shape):
    """One rule, after medspaCy's ConTextRule: its phrases (the literal, or a short token
    pattern), the category it gives a message, and for a modifier its direction, scope,
    terminating marks and pseudo phrases."""

    category: Said
    phrases: List[Said]
    # Where the phrase must stand: the whole message, its start, or anywhere in it.
    anchor: Literal["message", "start", "anywhere"] = "anywhere"
    # A modifier (a negation, a verb) counts only with one of its targets on that side of it.
    direction: Optional[Literal["forward", "backward", "bidirectional"]] = None
    targets: List[Said] = []
    scope: Optional[conint(strict=True, ge=0)] = None  # type: ignore[valid-type]  # words between
    terminate: List[Said] = []  # marks or words the scope does not cross
    pseudo: List[Said] = []  # phrases holding the phrase that are not it ("passed out of")

    @root_validator(skip_on_failure=True)
    def _modifier_has_targets(cls, values: dict) -> dict:  # noqa: N805 (pydantic)
        if bool(values["direction"]) != bool(values["targets"]):
            raise ValueError(f"{values['category']}: a direction needs targets, and targets a direction")
        return values


class PhraseRulesFile(_Shape):
    words: Dict[str, List[Said]]  # word sets, used in a phrase as <name>
    rules: List[PhraseRule]


def load_as(path: Path, shape: Type[Model]) -> Model:
    """The YAML file at `path`, checked against `shape`; ValueError names the file and the place."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return shape.parse_obj(raw)
    except ValidationError as error:
        raise ValueError(f"{path}: {error}") from None
