"""A message is never met with silence: when handling it sent the person nothing, they are told
of a technical problem (and given the emergency guidance first, when their words call for it)."""
from __future__ import annotations

from typing import Any, Optional

import yaml
from rasa.core.channels.channel import UserMessage

from adapters.channels.base import OnNewMessage, logger
from bot.paths import REPO_ROOT


async def never_silent(on_new_message: OnNewMessage, message: UserMessage) -> Any:
    """Handles the message; if that sent the person nothing, says there is a technical problem.

    When an action cannot run (the action server is down or restarting, or the action fails),
    Rasa logs it, drops everything that action did (its messages and slots) and goes on,
    usually to listening: the person would get no reply at all. The pre-screen is then as it
    was before the message (its answers and its question, in the tracker), so sending the
    message again once the action server is back goes on from the same question. Rasa (3.6) has no hook for a failed action (RasaHQ/rasa#7630, #5588); a
    custom processor or policy would replace far more of Rasa than this.
    """
    output = message.output_channel
    sent_before = getattr(output, "replies_sent", 0)
    try:
        result = await on_new_message(message)
    except Exception:
        await _say_technical_problem(message)
        raise
    if getattr(output, "replies_sent", 0) == sent_before:
        await _say_technical_problem(message)
    return result


async def _say_technical_problem(message: UserMessage) -> None:
    from bot.trial import replies

    logger.warning("A %s message got no reply; the person was told of a technical problem.",
                   message.input_channel)
    texts = [replies.TECHNICAL_PROBLEM]
    emergency = _emergency_guidance(message.text or "")
    if emergency:  # emergency guidance comes first, whatever else is going on
        texts.insert(0, emergency)
    try:
        for text in texts:
            await message.output_channel.send_response(message.sender_id, {"text": text})
    except Exception as error:  # the platform itself may be the trouble
        logger.warning("Could not tell a %s person of the technical problem (%s).",
                       message.input_channel, type(error).__name__)


DOMAIN_FILE = REPO_ROOT / "domain.yml"


def _emergency_guidance(text: str) -> Optional[str]:
    """The domain's emergency guidance when the words describe an emergency (without NLU,
    which may be what failed); None otherwise or when it cannot be read."""
    try:
        from bot.prescreen.form_requests import Turn, is_emergency

        if not is_emergency(Turn(text=text, intent="", confidence=0.0)):
            return None
        domain = yaml.safe_load(DOMAIN_FILE.read_text())
        return str(domain["responses"]["utter_emergency"][0]["text"])
    except Exception as error:
        logger.warning("Could not check the message for an emergency (%s).", type(error).__name__)
        return None
