"""Every chat channel of the server, each keeping its people apart from the other channels'.

credentials.yml names these classes, a module per channel: `rest` (REST, the staff terminal,
the chat page), `socket_io`, `sms` (Twilio), `telegram`, `slack`. What they share: `from_env`
(a platform's channel from the environment, or off), `namespaces` (ids in and out),
`numbered_choices`, `never_silent`, `server_setup` (request sizes, the server's start and
stop) and `base` (the channels' logger and shapes).

Identity is decided here, by the channel that really received a message, never
by the request (bot.privacy.identity): each channel puts its own name in front of the
id its platform gave ("twilio:+15551234567", "telegram:42", "slack:U123",
"rest:<sender>", "socketio:<session>"), so only that channel can make ids in its
namespace. A REST body naming sender "twilio:+1555" is "rest:twilio:+1555", not
the SMS person; an `input_channel` in the body is ignored. Replies go back
through the same channel to the platform's own id, and only within its namespace.

- REST (`RestChannel`) and socket.io (`SocketIOChannel`) at Rasa's usual URLs. A
  socket.io conversation is one the server issued: a session id signed by the
  server (resumed after a reconnect), or the connection's own sid. Browsers may
  use socket.io only from the origins in SOCKETIO_ORIGINS (default: the Rasa
  server's own origin, which serves no page, so no web page elsewhere can drive
  the assistant).
- The staff terminal (`ShellChannel`, `make shell`) is REST under its own "shell"
  namespace.
- Telegram, Slack and Twilio (SMS): Rasa's own connectors, set up from the
  environment. Each reads its settings from environment variables and is on only
  when they are all set; otherwise its webhook answers 503 and the rest of the
  server starts as usual (Rasa's `${VAR}` substitution would stop the server
  instead, and its Telegram connector calls Telegram while the server is still
  being built).

On top of Rasa's messaging connectors:
- long answers are split to fit each channel's message limit (adapters.channel_text);
- where buttons cannot be shown (SMS always; Telegram or Slack only when a
  button breaks their limits) they become numbered choices, and a reply that is
  just a number is read, before NLU, as the payload of the choice it names. The
  choices offered are read from the tracker store, so this holds across restarts
  and processes;
- the web page's data payloads (`custom`) are not sent as messages;
- a message that would get no reply at all (the action server down, an action failing)
  gets a kind technical-problem message instead (`never_silent`);
- webhook calls must prove they come from the platform (Slack already checks its
  signature; Twilio signs its calls; Telegram echoes a secret set with the webhook),
  since a forged call could act on another person's conversation.

Logs name no sender and quote no message.
"""
from adapters import lean_rasa
from bot.privacy import log_redaction, private_files

# Rasa loads these modules while it builds the server, before it writes or logs anything about
# a conversation: from here on its files are private and its log records redacted.
log_redaction.install()
private_files.make_private()
lean_rasa.install()  # Rasa's per-message waste, removed (adapters/lean_rasa/)
