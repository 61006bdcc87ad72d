"""Whose conversation a browser's message belongs to: an id this server issued and signed.

The id is 24 random bytes known only to this server and the browser's cookie, then a dot and
this server's signature of them, so ids are only ever issued, never chosen: one a client made
up, or was handed by someone else's page, is not ours and is replaced, never used.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

COOKIE = "trial_chat"
COOKIE_ID_RE = re.compile(r"[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}")
# Renewed with every message; the page drops its own copy after the same time (app.js), as
# its privacy notice says: 24 hours after the last message.
COOKIE_MAX_AGE_S = 24 * 3600


def key_for(purpose: str) -> bytes:
    """The pseudonym secret's key for one purpose: every process of the deployment agrees on it."""
    from bot.privacy.pseudonyms import derived_key  # not at import: read when the server starts

    return derived_key(purpose)


def _signature(key: bytes, conversation: str) -> str:
    digest = hmac.new(key, conversation.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue_cookie_id(key: bytes) -> str:
    """A new conversation id and this server's signature of it: "<32 chars>.<22 chars>"."""
    conversation = secrets.token_urlsafe(24)
    return f"{conversation}.{_signature(key, conversation)}"


def issued_conversation(key: bytes, value: str) -> str | None:
    """The conversation of a cookie id this server issued, else None (made up, altered,
    or carrying anything else, such as a line break)."""
    if not COOKIE_ID_RE.fullmatch(value):
        return None
    conversation, signature = value.split(".")
    return conversation if hmac.compare_digest(signature, _signature(key, conversation)) else None


def cookie_header(cookie_id: str, secure: bool) -> str:
    """The Set-Cookie value: scripts cannot read it (HttpOnly), other sites' pages cannot send
    it (SameSite=Strict), and it lasts COOKIE_MAX_AGE_S after the last use."""
    return (f"{COOKIE}={cookie_id}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; "
            f"HttpOnly; SameSite=Strict{'; Secure' if secure else ''}")
