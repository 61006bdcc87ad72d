"""A data file (or a folder of them) copied with one change, for the tests that check that a
broken vocabulary file is refused when it loads, naming the place."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import yaml

Change = Callable[[Any], None]


def changed_copy(tmp_path: Path, source: Path, change: Change) -> Path:
    """`source` (a YAML file) copied into `tmp_path`, its loaded content changed by `change`."""
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(raw)
    copy = tmp_path / source.name
    copy.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return copy


def changed_folder(tmp_path: Path, source: Path, name: str, change: Change) -> Path:
    """The folder `source` copied into `tmp_path`, its file `name` changed by `change`."""
    folder = tmp_path / source.name
    folder.mkdir()
    for file in sorted(source.glob("*.yml")):
        if file.name == name:
            changed_copy(folder, file, change)
        else:
            (folder / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    return folder
