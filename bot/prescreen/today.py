"""The person's own date: "a month ago" and "in November" count from the day where they are."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.trial.model import Trial

MAX_ZONE_NAME = 64


def zone_for(trial: Trial, zone_name: Any = None) -> ZoneInfo:
    """The person's time zone: an IANA name their channel sent (a chat page may send its
    browser's), else the trial site's (the trial file's `timezone`). A name that is not a
    zone is ignored, never an error."""
    if isinstance(zone_name, str) and 0 < len(zone_name) <= MAX_ZONE_NAME:
        try:
            return ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(trial.timezone)


def person_today(trial: Trial, zone_name: Any = None, now: Optional[datetime] = None) -> date:
    """Today's date where the person is: "a month ago" and "in November" count from it.

    Just after midnight in Chicago it is still yesterday in Hawaii, and already tomorrow
    in UTC: the server's own date would be a guess.
    """
    moment = now or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone_for(trial, zone_name)).date()
