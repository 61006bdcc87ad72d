"""Privacy end to end: what the logs hold, what is served, and whose data a request can reach."""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
import requests

from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningStore
from tests.e2e.conftest import logs_so_far, text_of

TRIAL_ID = "NCT03268603"


def test_logs_hold_no_sender_ids_messages_or_answers(chat, servers) -> None:
    sender = "telegram-5551234567"
    chat("am i eligible", sender=sender)
    chat("yes", sender=sender)
    chat("zebra-unique-answer-text", sender=sender)
    chat("is there a placebo in this zebra study", sender=sender)
    logs = logs_so_far(servers)
    for secret in (sender, "5551234567", "zebra"):
        assert secret not in logs


def test_the_http_api_is_closed(servers) -> None:
    """Trackers hold health answers: the API that reads them is not served at all."""
    for path in ("/conversations/anyone/tracker", "/status", "/model/parse"):
        response = requests.get(f"{servers['rasa']}{path}", timeout=10)
        assert response.status_code in (401, 403, 404, 405), path


# --- one identity per person per channel ------------------------------------------------------

SMS_PHONE = "+15557654321"


def _sms_conversation(servers: dict) -> list[tuple[str, str]]:
    """(event type, bot text) of the SMS person's conversation, as the tracker store keeps it."""
    with sqlite3.connect(servers["tracker_db"]) as db:
        rows = db.execute("select type_name, data from events where sender_id = ? order by id",
                          ("twilio:" + SMS_PHONE,)).fetchall()
    return [(kind, json.loads(data).get("text") or "") for kind, data in rows]


def test_a_rest_client_posing_as_an_sms_person_cannot_see_or_delete_their_answers(
    chat, sms, servers
) -> None:
    """A person pre-screens by SMS; a REST client that knows their phone number claims to be
    the Twilio channel (`input_channel`), or uses their conversation's id, and asks for
    their answers and deletes "its" data. The SMS person's answers and conversation stay."""
    for message in ("am i eligible", "yes", "yes"):  # consent, then "diagnosed: yes"
        sms(message, SMS_PHONE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREENING_ID_SECRET", servers["screening_id_secret"])
        sms_pseudonym = pseudonym_for("twilio:" + SMS_PHONE)
    store = ScreeningStore(servers["screening_db_url"])
    stored = store.current(sms_pseudonym, TRIAL_ID)
    assert stored is not None and stored.channel == "twilio"
    assert stored.answers == {"diagnosed": "yes"}
    history = _sms_conversation(servers)

    for forged in ({"sender": SMS_PHONE, "input_channel": "twilio"},
                   {"sender": "twilio:" + SMS_PHONE, "input_channel": "twilio"}):
        shown = text_of(_post(servers, forged, "show my answers"))
        assert "no answers saved" in shown.lower() and "ALS diagnosis" not in shown
        assert "Yes, delete" in str(_post(servers, forged, "delete my data"))
        assert "deleted" in text_of(_post(servers, forged, "/affirm")).lower()

    assert store.current(sms_pseudonym, TRIAL_ID) == stored
    assert _sms_conversation(servers)[: len(history)] == history
    # The SMS person still has their answers: "show my answers" by SMS lists them (then the
    # current question comes again).
    before = len(_sms_conversation(servers))
    sms("show my answers", SMS_PHONE)
    said = [text for kind, text in _sms_conversation(servers)[before:] if kind == "bot"]
    assert any("ALS diagnosis: Yes" in text for text in said), said
    store.close()
    logs = logs_so_far(servers)
    assert "5557654321" not in logs


def _post(servers: dict, body: dict, message: str) -> list[dict]:
    response = requests.post(f"{servers['rasa']}/webhooks/rest/webhook",
                             json={**body, "message": message}, timeout=60)
    response.raise_for_status()
    return response.json()


def test_socketio_takes_no_page_from_another_site_and_issues_its_own_sessions(servers) -> None:
    import asyncio

    import socketio

    async def widget(origin: str | None) -> tuple[str, str]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        replies: asyncio.Queue = asyncio.Queue()
        client.on("session_confirm", confirmed.set_result)
        client.on("bot_uttered", replies.put_nowait)
        await client.connect(servers["rasa"], headers={"Origin": origin} if origin else {},
                             transports=["polling"], wait_timeout=10)
        try:
            await client.emit("session_request", {"session_id": "twilio:" + SMS_PHONE})
            session_id = await asyncio.wait_for(confirmed, 10)
            await client.emit("user_uttered", {"message": "is it still recruiting?",
                                               "session_id": "twilio:" + SMS_PHONE})
            reply = await asyncio.wait_for(replies.get(), 60)
        finally:
            await client.disconnect()
        return session_id, reply.get("text", "")

    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(widget("https://evil.example"))
    session_id, reply = asyncio.run(widget(None))  # a program, not a page on another site
    assert session_id != "twilio:" + SMS_PHONE and "." in session_id
    assert "recruiting" in reply.lower() or "enrol" in reply.lower()


# --- what the servers leave on disk -----------------------------------------------------------

def test_the_servers_write_their_databases_private(chat, servers) -> None:
    import stat

    chat("am i eligible", sender="files-check")
    chat("yes", sender="files-check")
    for name in ("tracker.db", "screenings.db"):
        path = servers["work"] / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_a_declined_pre_screen_leaves_no_message_text_in_the_history(chat, servers) -> None:
    sender = "declines-" + str(time.time_ns())
    chat("I'm 61 and take riluzole, am I eligible?", sender=sender)
    said = text_of(chat("No thanks", sender=sender)).lower()
    assert "nothing was saved" in said
    assert "recruiting" in text_of(chat("is it recruiting?", sender=sender)).lower()  # it goes on
    with sqlite3.connect(servers["tracker_db"]) as db:
        rows = db.execute("select data from events where sender_id = ? and type_name = 'user'",
                          ("rest:" + sender,)).fetchall()
    assert len(rows) == 3
    stored = " ".join(data for (data,) in rows)
    for typed in ("riluzole", "m 61", "No thanks", "recruiting"):
        assert typed not in stored, typed


def test_a_replayed_sms_is_taken_once(servers) -> None:
    from tests.e2e.conftest import TWILIO
    from twilio.request_validator import RequestValidator

    phone = "+15550102030"
    url = f"{servers['rasa']}/webhooks/twilio/webhook"
    form = {"From": phone, "To": TWILIO["TWILIO_NUMBER"], "Body": "is it recruiting?", "MessageSid": "SMreplay0001"}
    signature = RequestValidator(TWILIO["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    for _ in range(2):
        response = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
        assert response.status_code == 204
    with sqlite3.connect(servers["tracker_db"]) as db:
        (count,) = db.execute("select count(*) from events where sender_id = ? and type_name = 'user'",
                              ("twilio:" + phone,)).fetchone()
    assert count == 1


def test_a_malformed_rest_body_gets_400(servers) -> None:
    webhook = f"{servers['rasa']}/webhooks/rest/webhook"
    assert requests.post(webhook, data=b"", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400
    assert requests.post(webhook, data=b"{", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400


# --- the action server answers Rasa only ------------------------------------------------------


def _action_call(servers: dict, action: str, sender: str) -> dict:
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {"text": "x", "intent": {}},
               "events": [], "paused": False, "followup_action": None, "active_loop": {},
               "latest_action_name": "action_listen"}
    return {"next_action": action, "sender_id": sender, "tracker": tracker,
            "domain": {}, "version": "3.6.21"}


def test_the_action_server_answers_only_rasa(chat, servers) -> None:
    """Without the token Rasa sends, no program on the machine can read or delete a person's
    answers by naming their conversation; Rasa's own calls carry it, so chats work."""
    sender = "action-server-probe"
    for message in ("am i eligible", "yes", "yes"):  # consent, then "diagnosed: yes"
        chat(message, sender=sender)
    for action in ("action_show_my_answers", "action_delete_my_data"):
        for headers in ({}, {"Authorization": "Bearer guessed-token"},
                        {"Authorization": f"Bearer {servers['action_token']}x"}):
            refused = requests.post(f"{servers['actions']}/webhook", timeout=10, headers=headers,
                                    json=_action_call(servers, action, f"rest:{sender}"))
            assert refused.status_code == 401 and refused.json() == {"error": "unauthorized"}
    assert requests.get(f"{servers['actions']}/actions", timeout=10).status_code == 401
    shown = requests.post(f"{servers['actions']}/webhook", timeout=30,
                          headers={"Authorization": f"Bearer {servers['action_token']}"},
                          json=_action_call(servers, "action_show_my_answers", f"rest:{sender}"))
    assert shown.status_code == 200  # the token is what it takes: Rasa's calls get through
    # The forged deletes deleted nothing: the person's answer is still there.
    assert "no answers saved" not in text_of(chat("show my answers", sender=sender))


def _listening_addresses(port: int) -> set[str]:
    """The local addresses a socket listens on at `port`, from /proc/net/tcp (no traffic sent)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
    return found


def test_the_action_server_listens_on_loopback_only(servers) -> None:
    port = int(servers["actions"].rsplit(":", 1)[1])
    assert _listening_addresses(port) == {"127.0.0.1"}


# --- huge messages are refused or cut before they are stored ---------------------------------


def _stored_texts(servers: dict, sender_id: str) -> list[str]:
    with sqlite3.connect(servers["tracker_db"]) as db:
        rows = db.execute("select data from events where sender_id = ? and type_name = 'user'",
                          (sender_id,)).fetchall()
    return [json.loads(data).get("text") or "" for (data,) in rows]


def test_huge_rest_messages_are_refused_and_long_ones_cut_before_they_are_stored(servers) -> None:
    url = f"{servers['rasa']}/webhooks/rest/webhook"
    huge = requests.post(url, json={"sender": "huge-probe", "message": "x " * 2_500_000}, timeout=60)
    assert huge.status_code == 413
    assert _stored_texts(servers, "rest:huge-probe") == []
    long = requests.post(url, json={"sender": "long-probe", "message": "is it recruiting? " + ")" * 100_000},
                         timeout=60)
    assert long.status_code == 200 and long.json()
    (stored,) = _stored_texts(servers, "rest:long-probe")
    assert stored.startswith("is it recruiting?") and len(stored) <= 600


def test_huge_socketio_messages_are_not_taken(servers) -> None:
    import asyncio

    import socketio

    async def widget() -> tuple[str, str]:
        """The session, and what came first after the huge message: the server closing the
        connection ("disconnect") or a reply to it ("bot_uttered")."""
        client = socketio.AsyncClient(reconnection=False)
        loop = asyncio.get_running_loop()
        confirmed: asyncio.Future = loop.create_future()
        first: asyncio.Future = loop.create_future()

        def came(event: str) -> None:
            if not first.done():
                first.set_result(event)

        client.on("session_confirm", confirmed.set_result)
        client.on("disconnect", lambda *_: came("disconnect"))
        client.on("bot_uttered", lambda *_: came("bot_uttered"))
        await client.connect(servers["rasa"], transports=["polling"], wait_timeout=10)
        await client.emit("session_request", {})
        session = await asyncio.wait_for(confirmed, 10)
        try:
            await client.emit("user_uttered", {"message": "y" * 2_000_000})
            return session, await asyncio.wait_for(first, 30)
        finally:
            await client.disconnect()

    session, event = asyncio.run(widget())
    # Refused over the limit: the server closed the connection instead of answering, and
    # nothing of it reached the conversation (under the limit, a long message is cut to 600
    # characters before it is stored, as REST's is).
    assert event == "disconnect"
    assert _stored_texts(servers, "socketio:" + session.split(".")[0]) == []
