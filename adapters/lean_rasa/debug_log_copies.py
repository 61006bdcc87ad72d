"""Copies for debug logs nobody reads: the processor and the rule and memoization policies
deep-copy events and states at every turn as arguments of `structlogger.debug`, evaluated
even when debug logging is off (4% of the server's time). In those three modules, whose every
`copy.deepcopy` is such an argument (tests/unit/test_lean_rasa.py reads their source),
`deepcopy` copies only while their logger is on at DEBUG.
"""
from __future__ import annotations

import copy
import logging
from typing import Any, Optional

DEBUG_LOG_COPIES = ("rasa.core.processor", "rasa.core.policies.rule_policy",
                    "rasa.core.policies.memoization")


class CopiesForDebugLogsOnly:
    """The `copy` module, as a module whose deep copies only feed its debug logs sees it."""

    def __init__(self, logger_name: str) -> None:
        self._logger = logging.getLogger(logger_name)

    def deepcopy(self, value: Any, memo: Optional[dict] = None) -> Any:
        return copy.deepcopy(value, memo) if self._logger.isEnabledFor(logging.DEBUG) else value

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)
