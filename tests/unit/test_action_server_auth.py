"""Only Rasa may call the action server: a shared token, and loopback by default."""
from __future__ import annotations

import asyncio
import os
from types import SimpleNamespace
from typing import Any, Optional

import pytest
from sanic import Sanic

from actions.action_server import ActionServerSetup, NoActionServerToken, OnlyRasa, required_token

TOKEN = "a-token-of-at-least-32-characters-0123456789"


def called(path: str, authorization: Optional[str] = None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    return asyncio.run(OnlyRasa(TOKEN)(SimpleNamespace(path=path, headers=headers)))


@pytest.mark.parametrize("authorization", [None, "", "Bearer ", f"Bearer {TOKEN[:-1]}",
                                           f"bearer {TOKEN}", TOKEN, f"Bearer {TOKEN}x", "Bearer \u00e9"])
@pytest.mark.parametrize("path", ["/webhook", "/actions", "/anything"])
def test_a_call_without_the_token_runs_nothing(path: str, authorization: Optional[str]) -> None:
    refused = called(path, authorization)
    assert refused is not None and refused.status == 401
    assert b"tracker" not in refused.body


def test_rasas_call_with_the_token_goes_through_and_health_is_open() -> None:
    assert called("/webhook", f"Bearer {TOKEN}") is None
    assert called("/health") is None


@pytest.mark.parametrize("value", [None, "", "short-token"])
def test_the_action_server_does_not_start_without_a_token(monkeypatch: pytest.MonkeyPatch,
                                                          value: Optional[str]) -> None:
    if value is None:
        monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    else:
        monkeypatch.setenv("ACTION_SERVER_TOKEN", value)
    with pytest.raises(NoActionServerToken, match="ACTION_SERVER_TOKEN"):
        ActionServerSetup().attach_sanic_app_extensions(Sanic(f"no_token_check_{'unset' if value is None else len(value)}"))


def test_the_action_server_listens_on_loopback_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    monkeypatch.delenv("SANIC_HOST", raising=False)
    ActionServerSetup().attach_sanic_app_extensions(Sanic("loopback_check"))
    assert os.environ["SANIC_HOST"] == "127.0.0.1"
    assert required_token() == TOKEN
