"""data/lexicon.yml is checked when it loads: a reviewer who adds a word and gets the shape wrong
is told the file and the place, not left with a lexicon that silently reads nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from bot.understanding.lexicon import DEFAULT_LEXICON_PATH, _load
from tests.data_copies import changed_copy




@pytest.mark.parametrize("change, place", [
    (lambda raw: raw["medications"]["riluzole"].pop("group"), r"medications\.riluzole\.group: field required"),
    (lambda raw: raw["medications"]["riluzole"].update(names=[]), r"medications\.riluzole: needs at least one name"),
    (lambda raw: raw["medicine_use"]["stopped"].append(""), r"medicine_use\.stopped\[\d+\]: ensure this value has at least 1"),
    (lambda raw: raw["medicine_use"].update(stoped=["quit"]), r"medicine_use\.stoped: extra fields not permitted"),
    # Yes, no, hedges and negation are phrase rules now (data/phrase_rules/assertion.yml).
    (lambda raw: raw.update(assertion={"hedges": ["maybe"]}), r"assertion: extra fields not permitted"),
    (lambda raw: raw["months"].update(smarch=13), r"months\.smarch: ensure this value is less than or equal to 12"),
    (lambda raw: raw["holidays"].update(easter={"from": [3, 22]}), r"holidays\.easter\.to: field required$"),
    (lambda raw: raw["sex_words"]["male"].append("she"), r"sex_words: 'she' is said for both female and male"),
    (lambda raw: raw["units"]["week"]["spelled"].append("mo"), r"units: a spelling stands under two units"),
    (lambda raw: raw["qualifiers"]["before"].update(bellow=["under"]), r"qualifiers\.before: unknown kinds \['bellow'\]"),
])
def test_a_broken_lexicon_names_the_place(tmp_path: Path, change: Callable, place: str) -> None:
    path = changed_copy(tmp_path, DEFAULT_LEXICON_PATH, change)
    with pytest.raises(ValueError, match=rf"^{path}: {place}"):
        _load(path.resolve())


def test_the_shipped_lexicon_loads_with_every_section() -> None:
    lexicon = _load(DEFAULT_LEXICON_PATH)
    assert lexicon.units and lexicon.plural_unit and lexicon.descriptions_by_place
    assert lexicon.holidays["easter"] == ((3, 22), (4, 25))
    assert "no longer" in lexicon.medicine_use["ended"]
