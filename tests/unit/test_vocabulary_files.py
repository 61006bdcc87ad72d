"""The vocabulary files are checked when they load: a missing list, a misspelt key, an empty
phrase or sentence, or an unquoted yes / no (YAML's true / false) is refused, naming the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.paths import DATA_DIR
from bot.messages import load_messages
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.questions_in_message import splitting_words
from tests.data_copies import changed_copy


def test_the_shipped_files_load() -> None:
    assert load_dialogue_words().says_past_correction("oh wait, I meant 61")
    assert load_messages()["agree"] == "Yes, I agree"
    assert splitting_words().min_words >= 1


def test_a_sentence_left_empty_is_refused(tmp_path: Path) -> None:
    path = changed_copy(tmp_path, DATA_DIR / "prescreen_messages.yml", lambda raw: raw["messages"].update({"agree": ""}))
    with pytest.raises(ValueError, match="agree"):
        load_messages.__wrapped__((path,))


def test_a_splitting_file_without_its_minimum_is_refused(tmp_path: Path) -> None:
    path = changed_copy(tmp_path, DATA_DIR / "message_splitting.yml", lambda raw: raw.update({"min_words": "three"}))
    with pytest.raises(ValueError, match="min_words"):
        splitting_words.__wrapped__(path)
