"""What the assistant says is data: every name the code asks for is in a messages file, none is
left unused, and no sentence a person reads is written in the code (README, "Layout")."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.messages import MESSAGE_FILES, load_messages
from bot.paths import REPO_ROOT

USES_RE = re.compile(r"""WORDS\[["']([a-z_]+)["']\]""")
CODE_DIRS = ("bot", "actions", "adapters", "web")


def _code_files() -> list[Path]:
    return [path for folder in CODE_DIRS for path in sorted((REPO_ROOT / folder).rglob("*.py"))]


def test_every_message_the_code_says_is_in_the_messages_files() -> None:
    used = set()
    for path in _code_files():
        used |= set(USES_RE.findall(path.read_text(encoding="utf-8")))
    assert used, "no message names found: the pattern no longer matches the code"
    assert sorted(used - set(load_messages())) == []


def test_no_message_is_left_unused() -> None:
    """Named in the code at all (some are chosen by a variable: `WORDS[key]`)."""
    code = "".join(p.read_text(encoding="utf-8") for p in _code_files())
    assert sorted(name for name in load_messages() if f'"{name}"' not in code and f"'{name}'" not in code) == []


def test_a_name_in_two_messages_files_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    first.write_text('messages:\n  agree: "Yes, I agree"\n', encoding="utf-8")
    second.write_text('messages:\n  agree: "Sure"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'agree' is already in another messages file"):
        load_messages.__wrapped__((first, second))


# Sentences a person never reads: what the program tells another program or its operator.
NOT_FOR_PEOPLE = {
    # Part of the error raised when the pseudonym secret is missing (said to the operator).
    ("bot/privacy/pseudonyms.py", "make one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"),
    # SQL in a table constraint.
    ("bot/storage/store.py", "verdict IS NULL OR verdict IN {}"),
    # HTTP headers the page's server writes for the browser.
    ("web/connection_limits.py", "Content-Length: {}\r\nRetry-After: 5\r\n{}\r\n"),
    ("web/conversation_ids.py", "{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}"),
    ("web/responses.py", "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
                         "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; "
                         "form-action 'none'; frame-ancestors 'none'"),
}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log", "print", "log_error"}
# A command line's own help, read by whoever runs the server.
COMMAND_LINE = {"ArgumentParser", "add_argument"}
REGEX_SYNTAX = re.compile(r"\\[bBsSwWd]|\(\?|\|")


def _is_sentence(text: str) -> bool:
    """Four words or more, or a short capitalised sentence or prompt ("Please choose:")."""
    words = text.split()
    return len(words) >= 4 or (bool(words) and text[0].isupper() and text.rstrip()[-1] in ".?!:")


def _not_said(tree: ast.AST) -> set[int]:
    """Nodes whose text no person reads as the assistant's words: docstrings, exceptions,
    assertions, log lines, HTTP answers to other programs (they carry a status), regexes."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        quiet = None
        if isinstance(node, ast.Raise):
            quiet = node.exc
        elif isinstance(node, ast.Assert):
            quiet = node.msg
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            owner = getattr(getattr(node.func, "value", None), "id", "")
            if name in LOGGING | COMMAND_LINE or owner == "re" or any(k.arg == "status" for k in node.keywords):
                quiet = node
        if quiet is not None:
            skipped |= {id(inner) for inner in ast.walk(quiet)}
    return skipped


def sentences_in_code(path: Path) -> list[str]:
    """The sentences `path` writes itself: string literals (an f-string as one text, its
    {fields} as {}), and every button title, not counting what `_not_said` leaves out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _not_said(tree)
    titles: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            titles |= {id(v) for k, v in zip(node.keys, node.values)
                       if isinstance(k, ast.Constant) and k.value == "title"}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            skipped |= {id(part) for part in node.values}
            text = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if REGEX_SYNTAX.search(text):
            continue
        if _is_sentence(text) or (id(node) in titles and text.strip()):
            found.append(text)
    return found


def test_no_sentence_a_person_reads_is_written_in_the_code() -> None:
    """A sentence the bot says belongs in a messages file (bot/messages.py), the trial file or
    domain.yml's responses, where it is edited, read for plain language and found once."""
    written = [
        (str(path.relative_to(REPO_ROOT)), text)
        for path in _code_files()
        for text in sentences_in_code(path)
    ]
    assert sorted(set(written) - NOT_FOR_PEOPLE) == []
    assert sorted(NOT_FOR_PEOPLE - set(written)) == [], "allowed but no longer in the code: drop it here"


def test_the_sentence_check_can_fail(tmp_path: Path) -> None:
    code = tmp_path / "example.py"
    code.write_text(
        '"""A docstring is not said."""\n'
        'import logging, re\n'
        'ASK = "Would you like to carry on?"\n'
        'SHORT = "Please choose:"\n'
        'BUTTON = {"title": "Yes", "payload": "/affirm"}\n'
        'def f(x):\n'
        '    logging.info("The store was busy for a while.")\n'
        '    re.compile(r"\\b(?:carry on|go on)\\b")\n'
        '    if x:\n'
        '        raise ValueError("this is not a value we know")\n'
        '    return f"Thanks, I will ask about {x} now."\n',
        encoding="utf-8",
    )
    assert sentences_in_code(code) == ["Would you like to carry on?", "Please choose:", "Yes",
                                       "Thanks, I will ask about {} now."]
    assert all(path.exists() for path in MESSAGE_FILES)
