"""The browser's time zone, passed on to Rasa only when it is a zone this machine knows, so
dates such as "a month ago" are the person's own and nothing else rides along."""
from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Any

# An IANA zone name as browsers give it: "America/Chicago", "America/Argentina/Buenos_Aires",
# "Etc/GMT+5", "UTC".
ZONE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]{0,31}(?:/[A-Za-z0-9_+-]{1,31}){0,2}")
MAX_ZONE_NAME = 64


@functools.lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Listed once (make_server asks at start, not while the first person waits)."""
    return frozenset(zoneinfo.available_timezones())


def browser_zone(value: Any) -> str | None:
    """The time zone the page sent, if it is one this machine knows; else None."""
    if isinstance(value, str) and len(value) <= MAX_ZONE_NAME and ZONE_NAME_RE.fullmatch(value) \
            and value in known_zones():
        return value
    return None
