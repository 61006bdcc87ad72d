"""No health data in any log: message text, answers and raw sender ids are redacted from every
log record of the process, whichever library logs it (Rasa, rasa_sdk, Sanic, SQLAlchemy, ours).

Installed as the process's log record factory, so it holds for every logger and handler, also
those configured later (Rasa and Sanic set up their own handlers after our modules load). A
record's message is formatted once, redacted, and kept without its arguments; a traceback is
formatted and redacted too (exception texts carry SQL parameters, request bodies, trackers).

What is taken out, by its shape (the code that logs it is not ours to change), at every level:
- conversation ids ("twilio:+15551234567", "rest:me", "slack:U123"), phone numbers and long
  digit runs (Telegram chat ids);
- message texts: `text`, `message`, `body` fields in JSON, dicts or reprs, and Rasa's quoted
  "user message '...'" / UserUttered(...) / BotUttered(...) forms;
- SQL parameters and stored answers: `[parameters: ...]`, `answers=...`, `parse_data`, `slots`,
  and whole trackers or event lists sent in a request body;
- everything after the first quote, bracket, "=" or line break of a Python warning, and of
  another library's DEBUG record (they quote messages, slots and events in too many shapes).

The chat page's server, the action server (actions/__init__.py), the Rasa server (the channel
and tracker store modules it loads) and the staff CLI all install it. Standard library only.
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Any, Callable

REDACTED = "[redacted]"

_CHANNELS = r"(?:rest|web|socketio|telegram|slack|twilio|shell|unknown)"
_QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str] | str]] = [
    # SQLAlchemy's statement parameters and Rasa's request bodies, whole.
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.S), "[parameters: " + REDACTED + "]"),
    (re.compile(r"(body=)(" + _QUOTED + r")", re.S), r"\1'" + REDACTED + "'"),
    (re.compile(r"""(['"]?(?:request_body|tracker|events|slots|parse_data|latest_message|answers|metadata)['"]?\s*[:=]\s*)"""
                r"""(\{.*|\[.*|""" + _QUOTED + r""")""", re.S),
     lambda m: m.group(1) + REDACTED),
    # Message texts in JSON, dicts, reprs and keyword arguments.
    (re.compile(r"""(['"]?\b(?:text|message|body|Body|title|payload|value)['"]?\s*[:=]\s*)(""" + _QUOTED + r")"),
     lambda m: m.group(1) + "'" + REDACTED + "'"),
    (re.compile(r"((?:user|bot) (?:message|utterance)s? )(" + _QUOTED + r")", re.I), r"\1'" + REDACTED + "'"),
    (re.compile(r"\b((?:User|Bot)Uttered\()[^)]*(\))"), r"\1" + REDACTED + r"\2"),
    (re.compile(r"(\btext: ).*?(,\s*intent:|\)|$)", re.M), r"\1" + REDACTED + r"\2"),
    # Who: conversation ids, phone numbers, platform ids.
    (re.compile(r"\b(" + _CHANNELS + r"):[^\s'\",)\]}]+"), r"\1:" + REDACTED),
    (re.compile(r"\+\d[\d ().-]{6,}\d"), REDACTED),
    (re.compile(r"(?<![\w.:/-])\d{7,}(?![\w.])"), REDACTED),
    (re.compile(r"\b[UW][A-Z0-9]{8,}\b"), REDACTED),  # Slack user ids
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_QUOTED_RE = re.compile(_QUOTED)


def redact_traceback(text: str) -> str:
    """A traceback's code lines are ours; its exception messages quote what they were given
    (a message, an answer), so every quoted string in them goes too."""
    lines = []
    for line in redact(text).split("\n"):
        if line and not line[0].isspace() and not line.startswith("Traceback"):
            line = _QUOTED_RE.sub("'" + REDACTED + "'", line)
        lines.append(line)
    return "\n".join(lines)


# Python warnings (routed into logging as "py.warnings") and other libraries' DEBUG records
# quote whatever they were given: Rasa warns "Failed to parse arguments in line '<the message>'",
# and logs slot values, events and user messages at DEBUG. Their shapes are too many to list,
# so such a record keeps only its words up to the first quote, bracket, "=" or line break.
_OWN_LOGGERS = ("bot", "actions", "adapters")
_DATA_START_RE = re.compile(r"""['"{\[=\n]""")


def _quotes_anything(record: logging.LogRecord) -> bool:
    if record.name == "py.warnings":
        return True
    own = record.name.split(".", 1)[0] in _OWN_LOGGERS
    return record.levelno < logging.INFO and not own


def redact_all_data(text: str) -> str:
    """The text up to where data may start, then [redacted]."""
    start = _DATA_START_RE.search(text)
    return text if start is None else text[: start.start()].rstrip() + " " + REDACTED


_installed = False


def install() -> None:
    """Redact every log record made from now on in this process (idempotent)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, drop the arguments
            message = str(record.msg)
        message = redact(message)
        record.msg, record.args = (redact_all_data(message) if _quotes_anything(record) else message), ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact_traceback("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
            record.exc_info = None  # formatters use exc_text; the raw exception is not shown
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    logging.setLogRecordFactory(redacting_record)
    logging.captureWarnings(True)  # warnings become "py.warnings" records, redacted as above
    _installed = True
