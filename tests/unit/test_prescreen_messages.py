"""The pre-screen's sentences are data: every name the code asks for is in the file."""
from __future__ import annotations

import re
from pathlib import Path

from bot.paths import REPO_ROOT
from bot.understanding.dialogue_words import load_messages

USES_RE = re.compile(r"""WORDS\[["']([a-z_]+)["']\]""")


def test_every_message_the_code_says_is_in_the_messages_file() -> None:
    used = set()
    for path in [*(REPO_ROOT / "bot").rglob("*.py"), *(REPO_ROOT / "actions").glob("*.py")]:
        used |= set(USES_RE.findall(path.read_text(encoding="utf-8")))
    assert used, "no message names found: the pattern no longer matches the code"
    assert sorted(used - set(load_messages())) == []


def test_no_message_is_left_unused() -> None:
    """Named in the code at all (some are chosen by a variable: `WORDS[key]`)."""
    code = "".join(p.read_text(encoding="utf-8") for p in [*(REPO_ROOT / "bot").rglob("*.py"),
                                                            *(REPO_ROOT / "actions").glob("*.py")])
    assert sorted(name for name in load_messages() if f'"{name}"' not in code and f"'{name}'" not in code) == []
