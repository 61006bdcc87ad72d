"""The one guard (actions/guard.py), as the action server sees it."""
from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.paths import REPO_ROOT

DOMAIN_ACTIONS = set(yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["actions"])


def test_the_action_server_registers_every_guarded_action_and_not_the_guard() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # what `rasa run actions` does; fails on an action without a name
    custom = {name for name in executor.actions if not name.startswith("validate_")}
    assert custom <= DOMAIN_ACTIONS
    assert {"action_hand_off_after_misses", "action_show_my_answers", "action_session_start"} <= custom
