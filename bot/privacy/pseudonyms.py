"""Pseudonyms: a stable stand-in for a person on one channel, so no phone number or chat id
is stored, and the secret they are made with (at least 32 bytes, kept apart from the data).

The secret is read at every call (not copied at import), so the settings and tests can point
it anywhere; the same secret gives the keys other parts of one deployment agree on.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import uuid
from pathlib import Path

from bot.paths import VAR_DIR
from bot.privacy import identity


def pseudonym_for(sender_id: str) -> str:
    """A stable stand-in for a person on one channel, so the raw phone number or chat id is
    never stored.

    `sender_id` is the conversation id the server made ("twilio:+1555...", see bot.privacy.identity):
    its namespace is the channel that really received the messages, so a REST body that names
    another channel or another channel's id gets a pseudonym of its own, never that person's.
    """
    channel, platform_id = identity.split(sender_id)
    # The separator keeps ("ab", "c") and ("a", "bc") apart. It is the message the pseudonym
    # was made of before ids were namespaced, so answers stored then keep their pseudonym.
    message = f"{channel}\x00{platform_id}".encode("utf-8")
    digest = hmac.new(_pseudonym_secret(), message, hashlib.sha256).hexdigest()
    return "p_" + digest[:24]


def derived_key(purpose: str) -> bytes:
    """A key for one purpose (e.g. signing socket.io session ids), made from the pseudonym
    secret so every process of this deployment agrees on it without another setting."""
    return hmac.new(_pseudonym_secret(), f"key for {purpose}".encode(), hashlib.sha256).digest()


MIN_SECRET_BYTES = 32
SECRET_HINT = "make one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"


class SecretTooShort(RuntimeError):
    """The pseudonym secret is too short to keep pseudonyms from being guessed."""


def _pseudonym_secret() -> bytes:
    """SCREENING_ID_SECRET, else the file named by SCREENING_ID_SECRET_FILE, else one made on
    first use in var/ and kept, so restarts agree. At least 32 bytes, whichever it is: a
    pseudonym of a phone number made with a short secret can be found by trying secrets."""
    from_env = os.environ.get("SCREENING_ID_SECRET", "")
    file_name = os.environ.get("SCREENING_ID_SECRET_FILE", "")
    if from_env:
        secret, source = from_env.encode("utf-8"), "SCREENING_ID_SECRET"
    elif file_name:
        try:
            secret = Path(file_name).read_bytes().strip()
        except OSError as error:
            raise RuntimeError(f"SCREENING_ID_SECRET_FILE: cannot read {file_name} ({error.strerror})") from None
        source = f"SCREENING_ID_SECRET_FILE ({file_name})"
    else:
        secret, source = _secret_file(VAR_DIR / "pseudonym.secret"), str(VAR_DIR / "pseudonym.secret")
    if len(secret) < MIN_SECRET_BYTES:
        raise SecretTooShort(
            f"the pseudonym secret in {source} is {len(secret)} bytes; it must be at least "
            f"{MIN_SECRET_BYTES} bytes ({SECRET_HINT})"
        )
    return secret


def check_secret() -> None:
    """Raises SecretTooShort (or RuntimeError) now, at start-up, rather than at the first message."""
    _pseudonym_secret()


def _secret_file(path: Path) -> bytes:
    """Read the secret, creating it atomically so two processes never end up with two."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # fails if another process won the race; theirs is kept
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    secret = path.read_text().strip()
    if not secret:
        raise RuntimeError(f"{path} is empty; delete it to make a new pseudonym secret")
    return secret.encode("utf-8")
