"""Every logger's records are redacted once bot.log_redaction is installed (it is, by the
action server's and Rasa's modules): message text, answers, SQL parameters, sender ids."""
from __future__ import annotations

import logging

import pytest

from bot import log_redaction

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
