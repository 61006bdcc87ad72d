"""Rasa SDK actions: thin adapters from the dialogue to the domain in `bot/`.

The action server imports this package before it serves anything, so this is where its
process becomes private: umask 077 and var/ owner-only (bot.private_files), every log record
redacted (bot.log_redaction), and errors answered without the tracker (actions.server_errors).
"""
from bot import log_redaction, private_files

log_redaction.install()
private_files.make_private()

from actions import server_errors  # noqa: E402  (after the log filter: it logs)

server_errors.install()

from bot.store import check_secret  # noqa: E402

check_secret()  # a pseudonym secret under 32 bytes stops the action server with the reason
