"""Rasa SDK actions: thin adapters from the dialogue to the domain in `bot/`.

The action server imports this package before it serves anything, so this is where its
process becomes private: umask 077 and var/ owner-only (bot.privacy.private_files), every log record
redacted (bot.privacy.log_redaction), and errors answered without the tracker and the retention purge at start (actions.action_server).
"""
from bot.privacy import log_redaction, private_files

log_redaction.install()
private_files.make_private()

from actions import action_server  # noqa: E402  (after the log filter: it logs)

action_server.install()

from bot.privacy.pseudonyms import check_secret  # noqa: E402

check_secret()  # a pseudonym secret under 32 bytes stops the action server with the reason
