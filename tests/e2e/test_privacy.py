"""What the servers write to their logs at the default level: no ids, no messages, no answers."""
from __future__ import annotations

import time

import requests


def test_logs_hold_no_sender_ids_messages_or_answers(chat, servers) -> None:
    sender = "telegram-5551234567"
    chat("am i eligible", sender=sender)
    chat("yes", sender=sender)
    chat("zebra-unique-answer-text", sender=sender)
    chat("is there a placebo in this zebra study", sender=sender)
    time.sleep(1)  # let the servers flush their logs
    logs = servers["rasa_log"].read_text() + servers["action_log"].read_text()
    for secret in (sender, "5551234567", "zebra"):
        assert secret not in logs


def test_the_http_api_is_closed(servers) -> None:
    """Trackers hold health answers: the API that reads them is not served at all."""
    for path in ("/conversations/anyone/tracker", "/status", "/model/parse"):
        response = requests.get(f"{servers['rasa']}{path}", timeout=10)
        assert response.status_code in (401, 403, 404, 405), path
