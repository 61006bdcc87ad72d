"""Where pre-screening answers live: SQL tables, SQLite by default, PostgreSQL when deployed.

`screenings` holds the answers; `handoff_requests` notes each time someone was pointed to the
study team (they asked for a person, or the assistant kept failing to understand them).

The answers are health data, so rows are keyed by a keyed-hash pseudonym and never by the
messaging-channel sender id (a phone number or Telegram id). Nothing is read from the
environment at import time, so tests and the staff CLI can point a store anywhere.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, DateTime, String, delete, select,
)
from sqlalchemy.orm import Session, declarative_base
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.types import TypeDecorator

from bot.paths import VAR_DIR
from bot.storage.engine import LazyEngine

# Read at call time (not copied), so tests can point it at a temporary folder.

SUBJECTS = ("self", "other")
# The verdicts of the eligibility contract in shared/DESIGN.md.
VERDICTS = ("likely_eligible", "likely_not_eligible", "needs_review")
# Why a person was pointed to the study team: they asked, or we failed to understand them.
HANDOFF_REASONS = ("asked", "repeated_failure")


class ScreeningNotFound(LookupError):
    """The screening id is unknown, e.g. the person deleted their answers meanwhile."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _as_json(value: Any) -> str:
    """Compare as stored, so 1 -> 1.0 or 1 -> True counts as a change (Python says equal)."""
    return json.dumps(value, sort_keys=True)


# --- schema -------------------------------------------------------------------------------

class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out; SQLite keeps no offset, so UTC is what it stores."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass a timezone-aware one")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


Base = declarative_base()


class ScreeningRow(Base):
    """One pre-screening of one person for one trial; a person may have several over time."""

    __tablename__ = "screenings"
    __table_args__ = (
        CheckConstraint(f"subject IN {SUBJECTS!r}", name="ck_screenings_subject"),
        CheckConstraint(f"verdict IS NULL OR verdict IN {VERDICTS!r}", name="ck_screenings_verdict"),
    )

    id = Column(String(32), primary_key=True)
    pseudonym = Column(String(64), nullable=False, index=True)
    trial_id = Column(String(64), nullable=False)
    channel = Column(String(64), nullable=False)
    subject = Column(String(8), nullable=False)
    consent_at = Column(UTCDateTime, nullable=False)
    answers = Column(JSON, nullable=False)
    statuses = Column(JSON, nullable=True)
    verdict = Column(String(32), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, index=True)
    updated_at = Column(UTCDateTime, nullable=False)
    finished_at = Column(UTCDateTime, nullable=True)


@dataclass(frozen=True)
class Screening:
    """A detached copy of a row, safe to hand to actions after the session has closed."""

    id: str
    pseudonym: str
    trial_id: str
    channel: str
    subject: str
    consent_at: datetime
    answers: dict[str, Any]
    statuses: Optional[dict[str, dict[str, Any]]]
    verdict: Optional[str]
    created_at: datetime
    updated_at: datetime
    finished_at: Optional[datetime]

    @classmethod
    def from_row(cls, row: ScreeningRow) -> "Screening":
        statuses = None if row.statuses is None else {k: dict(v) for k, v in row.statuses.items()}
        return cls(
            id=row.id, pseudonym=row.pseudonym, trial_id=row.trial_id, channel=row.channel,
            subject=row.subject, consent_at=row.consent_at, answers=dict(row.answers),
            statuses=statuses, verdict=row.verdict, created_at=row.created_at,
            updated_at=row.updated_at, finished_at=row.finished_at,
        )


class HandoffRow(Base):
    """One time a person was pointed to the study team. Never the message they typed."""

    __tablename__ = "handoff_requests"
    __table_args__ = (
        CheckConstraint(f"reason IN {HANDOFF_REASONS!r}", name="ck_handoff_requests_reason"),
    )

    id = Column(String(32), primary_key=True)
    pseudonym = Column(String(64), nullable=False, index=True)
    trial_id = Column(String(64), nullable=False)
    channel = Column(String(64), nullable=False)
    reason = Column(String(32), nullable=False)
    during_prescreen = Column(Boolean, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, index=True)


@dataclass(frozen=True)
class HandoffRequest:
    """A detached copy of a hand-off row, for the staff CLI."""

    id: str
    pseudonym: str
    trial_id: str
    channel: str
    reason: str
    during_prescreen: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: HandoffRow) -> "HandoffRequest":
        return cls(
            id=row.id, pseudonym=row.pseudonym, trial_id=row.trial_id, channel=row.channel,
            reason=row.reason, during_prescreen=bool(row.during_prescreen), created_at=row.created_at,
        )


# --- the store ----------------------------------------------------------------------------

def default_url() -> str:
    """SCREENING_DB_URL, else an SQLite file under var/ (created here, since SQLite will not)."""
    url = os.environ.get("SCREENING_DB_URL", "")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'screenings.db'}"


class ScreeningStore:
    """All reads and writes of screenings and hand-off requests; one engine, made on first use."""

    def __init__(self, url: Optional[str] = None, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._clock = clock  # injectable so retention can be tested without waiting days
        self._engine = LazyEngine(url, default_url, Base.metadata)

    def _session(self) -> Session:
        return Session(self._engine(), future=True)

    def close(self) -> None:
        """Release pooled connections (tests, and the staff CLI on exit)."""
        self._engine.close()

    def start(
        self, pseudonym: str, trial_id: str, channel: str, subject: str,
        consent_at: Optional[datetime] = None,
    ) -> str:
        """Open a new screening and return its id; earlier ones are kept as history.

        A screening only starts after the person agreed, so consent_at defaults to now.
        """
        if subject not in SUBJECTS:
            raise ValueError(f"subject must be one of {SUBJECTS}, not {subject!r}")
        now, screening_id = self._clock(), uuid.uuid4().hex
        row = ScreeningRow(
            id=screening_id, pseudonym=pseudonym, trial_id=trial_id, channel=channel,
            subject=subject, consent_at=consent_at or now, answers={},
            created_at=now, updated_at=now,
        )
        with self._session() as session, session.begin():
            session.add(row)
        return screening_id

    def set_subject(self, screening_id: str, subject: str) -> None:
        """Whom the answers are about, when the person says so mid-form ("it's for my mom")."""
        if subject not in SUBJECTS:
            raise ValueError(f"subject must be one of {SUBJECTS}, not {subject!r}")
        with self._session() as session, session.begin():
            row = self._row_for_update(session, screening_id)
            if row.subject != subject:
                row.subject, row.updated_at = subject, self._clock()

    def record_answer(self, screening_id: str, question_id: str, value: Any) -> None:
        """Store or overwrite one answer (a correction is just a new value)."""
        self._change_answers(screening_id, lambda answers: answers.__setitem__(question_id, value))

    def remove_answer(self, screening_id: str, question_id: str) -> None:
        """Forget one answer; removing one that is not there is not an error."""
        self._change_answers(screening_id, lambda answers: answers.pop(question_id, None))

    def _change_answers(self, screening_id: str, change: Callable[[dict[str, Any]], Any]) -> None:
        """Apply a change; if the answers really changed, any verdict no longer holds."""
        with self._session() as session, session.begin():
            row = self._row_for_update(session, screening_id)
            answers = dict(row.answers)
            change(answers)
            if _as_json(answers) == _as_json(row.answers):
                return
            row.answers = answers
            # The ORM compares JSON with ==, so 1 -> 1.0 would otherwise never be written.
            flag_modified(row, "answers")
            row.statuses = row.verdict = row.finished_at = None
            row.updated_at = self._clock()

    def finish(self, screening_id: str, statuses: dict[str, dict[str, Any]], verdict: str) -> None:
        """Keep the per-criterion statuses and the verdict the person was shown."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
        with self._session() as session, session.begin():
            row = self._row_for_update(session, screening_id)
            now = self._clock()
            row.statuses = {k: dict(v) for k, v in statuses.items()}
            row.verdict, row.finished_at, row.updated_at = verdict, now, now

    @staticmethod
    def _row_for_update(session: Session, screening_id: str) -> ScreeningRow:
        # FOR UPDATE serialises two writers of one row on PostgreSQL; SQLite ignores it.
        query = select(ScreeningRow).where(ScreeningRow.id == screening_id).with_for_update()
        row = session.execute(query).scalar_one_or_none()
        if row is None:
            raise ScreeningNotFound(screening_id)
        return row

    def get(self, screening_id: str) -> Optional[Screening]:
        """One screening by its id, or None (deleted meanwhile, or purged)."""
        with self._session() as session:
            row = session.get(ScreeningRow, screening_id)
            return None if row is None else Screening.from_row(row)

    def current(self, pseudonym: str, trial_id: str) -> Optional[Screening]:
        """The person's latest screening for the trial, finished or not, or None."""
        query = (
            select(ScreeningRow)
            .where(ScreeningRow.pseudonym == pseudonym, ScreeningRow.trial_id == trial_id)
            .order_by(ScreeningRow.created_at.desc(), ScreeningRow.id.desc())
            .limit(1)
        )
        with self._session() as session:
            row = session.execute(query).scalar_one_or_none()
            return None if row is None else Screening.from_row(row)

    def delete_person(self, pseudonym: str) -> int:
        """Erase everything kept about one person (all trials); returns how many rows went.

        Screenings and hand-off requests go together, in one transaction.
        """
        with self._engine().begin() as conn:
            screenings = conn.execute(delete(ScreeningRow).where(ScreeningRow.pseudonym == pseudonym))
            handoffs = conn.execute(delete(HandoffRow).where(HandoffRow.pseudonym == pseudonym))
            return screenings.rowcount + handoffs.rowcount

    def purge_older_than(self, days: int) -> int:
        """Erase screenings started more than `days` ago (retention); returns how many went."""
        return self._delete(ScreeningRow, ScreeningRow.created_at < self._cutoff(days))

    def purge_handoffs_older_than(self, days: int) -> int:
        """Erase hand-off requests made more than `days` ago (retention); returns how many went."""
        return self._delete(HandoffRow, HandoffRow.created_at < self._cutoff(days))

    def _cutoff(self, days: int) -> datetime:
        if days < 0:
            raise ValueError("days must not be negative")
        return self._clock() - timedelta(days=days)

    def _delete(self, table: type, condition: Any) -> int:
        with self._engine().begin() as conn:
            return conn.execute(delete(table).where(condition)).rowcount

    def list_screenings(
        self, trial_id: Optional[str] = None,
        since: Optional[datetime] = None, until: Optional[datetime] = None,
    ) -> list[Screening]:
        """Screenings started in [since, until), oldest first, for the staff CLI."""
        query = _in_period(select(ScreeningRow), ScreeningRow, trial_id, since, until)
        with self._session() as session:
            return [Screening.from_row(row) for row in session.execute(query).scalars()]

    def record_handoff(
        self, pseudonym: str, trial_id: str, channel: str, reason: str, during_prescreen: bool,
    ) -> str:
        """Note that a person was pointed to the study team; returns the request's id."""
        if reason not in HANDOFF_REASONS:
            raise ValueError(f"reason must be one of {HANDOFF_REASONS}, not {reason!r}")
        request_id = uuid.uuid4().hex
        row = HandoffRow(
            id=request_id, pseudonym=pseudonym, trial_id=trial_id, channel=channel,
            reason=reason, during_prescreen=bool(during_prescreen), created_at=self._clock(),
        )
        with self._session() as session, session.begin():
            session.add(row)
        return request_id

    def list_handoffs(
        self, trial_id: Optional[str] = None,
        since: Optional[datetime] = None, until: Optional[datetime] = None,
    ) -> list[HandoffRequest]:
        """Hand-off requests made in [since, until), oldest first, for the staff CLI."""
        query = _in_period(select(HandoffRow), HandoffRow, trial_id, since, until)
        with self._session() as session:
            return [HandoffRequest.from_row(row) for row in session.execute(query).scalars()]


def _in_period(
    query: Any, table: Any, trial_id: Optional[str],
    since: Optional[datetime], until: Optional[datetime],
) -> Any:
    """Rows of one trial (or all) created in [since, until), oldest first."""
    query = query.order_by(table.created_at, table.id)
    if trial_id is not None:
        query = query.where(table.trial_id == trial_id)
    if since is not None:
        query = query.where(table.created_at >= since)
    if until is not None:
        query = query.where(table.created_at < until)
    return query
