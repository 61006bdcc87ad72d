"""Reading stored events looks each event's type up by walking every subclass of `Event`
(`Event.resolve_by_type`), for every event of the conversation at every turn. A type name,
once found, always names the same class, so the answer is kept per name; unknown names still
go the long way (and fail the same way).
"""
from __future__ import annotations

import functools
from typing import Callable, Optional


def resolve_known_types(original: Callable[..., Optional[type]]) -> Callable[..., Optional[type]]:
    found: dict[str, type] = {}

    @functools.wraps(original)
    def resolve_by_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
        known = found.get(type_name)
        if known is not None:
            return known
        resolved = original(type_name, default)
        if resolved is not None and getattr(resolved, "type_name", None) == type_name:
            found[type_name] = resolved
        return resolved

    return resolve_by_type
