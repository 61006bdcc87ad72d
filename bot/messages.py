"""What the assistant says, by name: the one home of every sentence the code sends.

The code never writes a sentence a person reads; it names one (`WORDS["review_prompt"]`) and
fills in its {placeholders}. The sentences live in two data files with one name space:
data/prescreen_messages.yml (what the pre-screen and its result say) and
data/assistant_messages.yml (everything else the code says: answers' frames, the menu, the
hand-off, errors, the channels' prompts). The trial's own facts stay in data/trials/*.yml, and
what Rasa says by itself (a rule's utter_*) in domain.yml. tests/unit/test_prescreen_messages.py
checks that every name the code uses is in a file, that none is unused, and that no sentence
is written in bot/, actions/, adapters/ or web/.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping

from bot.paths import DATA_DIR
from bot.understanding.vocabulary_files import MessagesFile, load_as

MESSAGE_FILES = (DATA_DIR / "prescreen_messages.yml", DATA_DIR / "assistant_messages.yml")


@lru_cache(maxsize=4)
def load_messages(paths: tuple[Path, ...] = MESSAGE_FILES) -> Mapping[str, str]:
    """Every message by name; a name in two files is refused (which one would be said?)."""
    merged: dict[str, str] = {}
    for path in paths:
        for name, text in load_as(path, MessagesFile).messages.items():
            if name in merged:
                raise ValueError(f"{path}: message {name!r} is already in another messages file")
            merged[name] = text
    return merged


WORDS: Mapping[str, str] = load_messages()
