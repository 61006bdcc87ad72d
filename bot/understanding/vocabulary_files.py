"""The vocabulary files' shapes, declared (pydantic 1.10, within Rasa 3.6's pins): a file that
misses a list, misspells a key or leaves a phrase or a sentence empty is refused when it is
loaded, with the path and the place, instead of failing on some later message.

data/message_splitting.yml (where one message holds several questions), the messages files
(bot/messages.py: what the code says) and the files of data/phrase_rules/ (the phrases that
steer a reply and say what it asserts, as rules after medspaCy's ConText).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Literal, Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, ConstrainedStr, ValidationError, conint, root_validator

Model = TypeVar("Model", bound=BaseModel)


class Said(ConstrainedStr):
    """A phrase or a sentence: text, not empty (an unquoted yes / no in YAML is not text)."""

    strict = True
    strip_whitespace = True
    min_length = 1


def one_of(*options: str) -> Type[str]:
    """Text that must be one of `options`; the refusal says what was written ("'maybe' is not
    one of pass, fail, unknown"), which a Literal's does not."""

    class OneOf(str):
        @classmethod
        def __get_validators__(cls):  # type: ignore[no-untyped-def]
            yield cls.check

        @classmethod
        def check(cls, value: Any) -> str:
            if not isinstance(value, str) or value not in options:
                raise ValueError(f"{value!r} is not one of {', '.join(options)}")
            return value

    return OneOf


class Shape(BaseModel):
    """A part of a data file: a misspelt key is an error, and nothing changes it once loaded."""

    class Config:
        extra = "forbid"  # a misspelt key is an error, not a list that is never read
        allow_mutation = False


class MessageSplittingFile(Shape):
    sentence_ends: List[Said]
    joiners: List[Said]
    question_openers: List[Said]
    also_asking: List[Said]
    min_words: conint(strict=True, ge=1)  # type: ignore[valid-type]


class MessagesFile(Shape):
    """data/prescreen_messages.yml and data/assistant_messages.yml (bot/messages.py)."""

    messages: Dict[str, Said]


class PhraseRule(Shape):
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
        # Without targets, a modifier marks the span a reader asks about (a name it negates):
        # it needs a scope then, or it would reach the whole message.
        span_modifier = values["direction"] and not values["targets"] and values["scope"] is not None
        if bool(values["direction"]) != bool(values["targets"]) and not span_modifier:
            raise ValueError(
                f"{values['category']}: a direction needs targets (or a scope, for a modifier of a span),"
                " and targets a direction"
            )
        return values


class PhraseRulesFile(Shape):
    # What its readers match the rules against: the text as typed (any case, any apostrophe),
    # or made plain first (bot/understanding/plain_text.py: lowercase, apostrophes dropped).
    read_over: Literal["typed", "plain"] = "typed"
    words: Dict[str, List[Said]]  # word sets, used in a phrase as <name>
    context_rules: List[PhraseRule]  # not "rules": Rasa reads any data/ file with that key as its own rules


def load_as(path: Path, shape: Type[Model]) -> Model:
    """The YAML file at `path`, checked against `shape`; ValueError names the file and the place."""
    return parse_as(yaml.safe_load(path.read_text(encoding="utf-8")), shape, str(path))


def parse_as(raw: Any, shape: Type[Model], name: str) -> Model:
    """`raw` (a loaded YAML file) checked against `shape`; ValueError names the file and, for
    each mistake, the place, with list items by their id where they have one."""
    try:
        return shape.parse_obj(raw)
    except ValidationError as error:
        raise ValueError(f"{name}: {_mistakes(error, raw)}") from None


def _mistakes(error: ValidationError, raw: Any) -> str:
    """Each wrong place once with what is wrong there. A value that may take several shapes
    fails each of them: where one shape got further ("when.age.at_most: extra fields not
    permitted"), that one is said, not the shapes it never was."""
    locs = [tuple(e["loc"]) for e in error.errors()]
    by_place: dict[str, list[str]] = {}
    for loc, e in zip(locs, error.errors()):
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
            continue
        by_place.setdefault(place(loc, raw), []).append(e["msg"])
    return "; ".join(f"{where}: {' or '.join(dict.fromkeys(msgs))}" for where, msgs in by_place.items())


def place(loc: tuple, raw: Any) -> str:
    """A pydantic error location as a person editing the file reads it:
    ('screening', 'questions', 4, 'ask', 'self') -> "screening.questions[age].ask.self"; a list
    item without an id by its number, counted from 1."""
    text, node = "", raw
    for step in loc:
        if step == "__root__":
            continue
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            label = item.get("id") if isinstance(item, dict) else None
            text += f"[{label}]" if label is not None else f"[{step + 1}]"
            node = item
        else:
            text += f".{step}" if text else str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return text or "the file"
