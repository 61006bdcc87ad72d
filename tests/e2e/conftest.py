"""Starts the real action server and Rasa server once per test session.

Loading a model takes about a minute, so every end-to-end test shares these
two processes and talks to them over HTTP like a channel would. The Twilio (SMS)
channel is on, with made-up credentials: `sms` calls its webhook as Twilio would,
signed; the replies it tries to text cannot reach Twilio and are dropped.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot.paths import MODEL_FILE, REPO_ROOT
from tests.ports import free_port
from tests.prescreen_driver import text_of  # noqa: F401  (the e2e tests import it from here)

ARTIFACTS = REPO_ROOT / "test-artifacts"
BIN = Path(sys.executable).parent
TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "e2e-twilio-auth-token",
          "TWILIO_NUMBER": "+15550001111"}


def _wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: int = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} not up after {seconds}s; see {log}")


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if not MODEL_FILE.exists():
        pytest.fail(f"no trained model at {MODEL_FILE}: run 'make train' (make test does)")
    work = tmp_path_factory.mktemp("servers")
    ARTIFACTS.mkdir(exist_ok=True)
    action_port, rasa_port = free_port(), free_port()
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               ACTION_PORT=str(action_port), TRACKER_DB=str(work / "tracker.db"),
               ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
               SCREENING_DB_URL=f"sqlite:///{work / 'screenings.db'}",
               SEEN_MESSAGES_DB_URL=f"sqlite:///{work / 'seen_messages.db'}",
               TWILIO_WEBHOOK_URL=f"http://127.0.0.1:{rasa_port}/webhooks/twilio/webhook",
               SCREENING_ID_SECRET="e2e-secret-0123456789abcdef0123456789abcdef",
               ACTION_SERVER_TOKEN=secrets.token_urlsafe(32), **TWILIO)
    action_log = ARTIFACTS / "e2e-action-server.log"
    rasa_log = ARTIFACTS / "e2e-rasa-server.log"
    procs = []
    try:
        # The servers start as in every shape (scripts/serve-*.sh), with this venv's Rasa.
        env["BIN"] = str(BIN)
        actions = subprocess.Popen(
            ["bash", "scripts/serve-actions.sh"],
            cwd=REPO_ROOT, env=env, stdout=action_log.open("w"), stderr=subprocess.STDOUT,
        )
        procs.append(actions)
        rasa = subprocess.Popen(
            ["bash", "scripts/serve-rasa.sh"],
            cwd=REPO_ROOT, env=dict(env, RASA_PORT=str(rasa_port), MODEL=str(MODEL_FILE)),
            stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
        )
        procs.append(rasa)
        _wait_for(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        _wait_for(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield {"rasa": f"http://127.0.0.1:{rasa_port}", "rasa_log": rasa_log, "work": work,
               "actions": f"http://127.0.0.1:{action_port}", "action_token": env["ACTION_SERVER_TOKEN"],
               "action_log": action_log, "tracker_db": work / "tracker.db",
               "screening_db_url": env["SCREENING_DB_URL"],
               "screening_id_secret": env["SCREENING_ID_SECRET"]}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


Chat = Callable[..., list[dict]]


@pytest.fixture
def chat(servers: dict) -> Chat:
    """Sends one message as a fresh (or given) user and returns the bot's messages."""

    def send(message: str, sender: str | None = None) -> list[dict]:
        response = requests.post(
            f"{servers['rasa']}/webhooks/rest/webhook",
            json={"sender": sender or f"test-{uuid.uuid4().hex}", "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    return send


@pytest.fixture
def sms(servers: dict) -> Callable[[str, str], None]:
    """Sends one text message from a phone number through the Twilio webhook, signed as
    Twilio signs it (the assistant's replies go to Twilio, not back in the response)."""

    def send(message: str, phone: str) -> None:
        url = f"{servers['rasa']}/webhooks/twilio/webhook"
        form = {"From": phone, "To": TWILIO["TWILIO_NUMBER"], "Body": message,
                "MessageSid": "SM" + uuid.uuid4().hex}
        signature = RequestValidator(TWILIO["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
        response = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
        assert response.status_code == 204, response.text

    return send


# Lines each server logs, at the default level, for a refused call: written after every line
# about the calls before it, so once a new one is in the log, so is everything said before.
MARKERS = {"rasa_log": "Refused a call to the Twilio webhook without a valid Twilio signature",
           "action_log": "Refused a call without the action server token."}


def logs_so_far(servers: dict, seconds: float = 30) -> str:
    """Both servers' logs, once they hold every line about the calls made before this one.

    Each server is sent a call it refuses and logs (an unsigned Twilio message; an action call
    without the token); the logs are read when that line has come, so a test that finds
    something absent knows the lines that could have held it were written."""
    counts = {log: servers[log].read_text().count(line) for log, line in MARKERS.items()}
    refused = requests.post(f"{servers['rasa']}/webhooks/twilio/webhook", data={"Body": "marker"}, timeout=30)
    assert refused.status_code == 403, refused.text
    refused = requests.post(f"{servers['actions']}/webhook", json={}, timeout=30)
    assert refused.status_code == 401, refused.text
    deadline = time.monotonic() + seconds
    while True:
        texts = {log: servers[log].read_text() for log in MARKERS}
        if all(texts[log].count(line) > counts[log] for log, line in MARKERS.items()):
            return texts["rasa_log"] + texts["action_log"]
        if time.monotonic() > deadline:
            raise AssertionError(f"the servers did not log the refused calls within {seconds} s")
        time.sleep(0.05)
