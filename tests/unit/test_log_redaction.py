"""Every logger's records are redacted once bot.privacy.log_redaction is installed (it is, by the
action server's and Rasa's modules): message text, answers, SQL parameters, sender ids."""
from __future__ import annotations

import logging

import pytest

from bot.paths import REPO_ROOT
from bot.privacy import log_redaction

TEXT, MEDICINE = "I have ALS", "riluzole"  # not in the traceback's code lines below
PRIVATE = ["I have ALS", "+15551234567", "5551234567", "riluzole", '"age": 54']


@pytest.mark.parametrize("name", ["rasa.core.processor", "sanic.error", "sqlalchemy.engine.Engine",
                                  "rasa_sdk.endpoint", "adapters.channels"])
def test_records_of_every_logger_are_redacted(name: str, caplog: pytest.LogCaptureFixture) -> None:
    log_redaction.install()
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger(name)
    logger.debug("Received user message 'I have ALS' with intent 'inform' from twilio:+15551234567")
    logger.error("[SQL: UPDATE screenings SET answers=?]\n[parameters: ('{\"age\": 54}', 'x')]")
    logger.warning("UserUttered(text: taking riluzole, intent: inform) for %s", "telegram:5551234567")
    try:
        raise RuntimeError(f"failed: body='{{\"text\": \"{TEXT}\"}}' for '{MEDICINE}'")
    except RuntimeError:
        logger.exception("turn failed")
    assert "turn failed" in caplog.text and "RuntimeError" in caplog.text
    for private in PRIVATE:
        assert private not in caplog.text, private


# Shapes the patterns above do not know: an apostrophe inside a quoted message, Rasa's slot
# values and events at DEBUG (structlog's key=value), a warning quoting a typed "/intent{...}".
LEAKY_DEBUG = [
    "Received user message 'I'm 54 and take riluzole' with intent 'inform'",
    "processor.slots.log slot_values='\\tprescreen_reply: I'm 54\\n\\tprescreen: {...}'",
    "processor.actions.log action_name=validate rasa_events=[SlotSet(key: prescreen_reply, value: I'm 54)]",
    "Current slot values: \n\tprescreen_reply: I'm 54 and take riluzole",
]


@pytest.mark.parametrize("line", LEAKY_DEBUG)
@pytest.mark.parametrize("name", ["rasa.core.processor", "rasa_sdk.executor", "sanic.root", "socketio.server"])
def test_other_libraries_debug_records_keep_no_data(name: str, line: str) -> None:
    log_redaction.install()
    # The record as every handler gets it (some of these loggers do not propagate to pytest's).
    record = logging.getLogRecordFactory()(name, logging.DEBUG, __file__, 1, line, (), None)
    assert "54" not in record.getMessage() and "riluzole" not in record.getMessage()


def test_python_warnings_reach_the_log_redacted() -> None:
    """As a server prints them to its log (a process of its own: pytest records warnings itself)."""
    import subprocess
    import sys

    script = (
        "import logging, warnings\n"
        "from bot.privacy import log_redaction\n"
        "logging.basicConfig()\n"
        "log_redaction.install()\n"
        "warnings.warn(\"Failed to parse arguments in line '/inform{\\\"text\\\": \\\"I'm 54 on riluzole\\\"'. "
        "Make sure the intent is followed by a proper json object.\", UserWarning)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=REPO_ROOT)
    assert "Failed to parse arguments in line" in done.stderr, done.stderr
    assert "54" not in done.stderr and "riluzole" not in done.stderr


def test_our_own_debug_records_keep_their_words() -> None:
    record = logging.LogRecord("adapters.channels", logging.DEBUG, __file__, 1,
                               "Read a numbered reply as one of %d choices.", (3,), None)
    assert not log_redaction._quotes_anything(record)
