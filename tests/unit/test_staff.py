"""The staff CLI (python -m staff) on real databases: an SQLite file and PostgreSQL.

Screenings are stored through ScreeningStore, the way the actions store them, then read
back through the command line as a staff member would run it.
"""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from staff.cli import main as staff_main
from bot.paths import REPO_ROOT
from bot.prescreen.eligibility import evaluate, verdict
from bot.storage.store import ScreeningStore, utcnow
from bot.trial.loading import load_trial
from tests.prescreen_driver import FIT_MAN
from tests.unit.databases import Clock

TRIAL_ID = "NCT03268603"

# Answers as the pre-screen stores them (parsed values, not what was typed).
ELIGIBLE: dict[str, Any] = dict(FIT_MAN, weakness_started=18.0)


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=timezone.utc)


def screen(
    store: ScreeningStore, clock: Clock, pseudonym: str, started: datetime,
    answers: dict[str, Any], finish: bool = True, channel: str = "rest", subject: str = "self",
    trial_id: str = TRIAL_ID,
) -> str:
    """One pre-screen as the actions store it: start, answer one by one, then the verdict."""
    clock.now = started
    screening_id = store.start(pseudonym, trial_id, channel, subject)
    for question_id, value in answers.items():
        clock.advance(seconds=20)
        store.record_answer(screening_id, question_id, value)
    if finish:
        results = evaluate(load_trial(), answers)
        clock.advance(seconds=5)
        store.finish(
            screening_id, {r.id: {"status": r.status, "reason": r.reason} for r in results}, verdict(results)
        )
    return screening_id


@pytest.fixture
def march(db_url: str) -> dict[str, str]:
    """Four screenings around March 2024, another trial's, and three hand-off requests."""
    clock = Clock()
    store = ScreeningStore(db_url, clock=clock)
    ids = {
        "ann": screen(store, clock, "p_ann", at("2024-03-01", 9, 30), ELIGIBLE),
        "bob": screen(store, clock, "p_bob", at("2024-03-10"), {**ELIGIBLE, "age": 16}, channel="telegram"),
        "cat": screen(store, clock, "p_cat", at("2024-03-31", 23, 30),
                      {"diagnosed": "yes", "other_causes_ruled_out": "unsure"}, finish=False, subject="other"),
        "dan": screen(store, clock, "p_dan", at("2024-04-01", 0, 10),
                      {**ELIGIBLE, "breathing_support": "noninvasive", "can_travel": "unsure"}),
        "other_trial": screen(store, clock, "p_eve", at("2024-03-05"), {"age": 70},
                              finish=False, trial_id="NCT00000000"),
    }
    clock.now = at("2024-03-02")
    store.record_handoff("p_ann", TRIAL_ID, "rest", "asked", during_prescreen=True)
    clock.now = at("2024-03-20", 8, 5)
    store.record_handoff("p_zed", TRIAL_ID, "telegram", "repeated_failure", during_prescreen=False)
    clock.now = at("2024-04-02")
    store.record_handoff("p_dan", TRIAL_ID, "rest", "asked", during_prescreen=False)
    store.close()
    return ids


def cli(*args: str) -> int:
    return staff_main(list(args))


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


# --- export -------------------------------------------------------------------------------------

def test_export_has_a_row_per_screening_with_statuses_and_answers_in_trial_order(
    db_url: str, march: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "screenings.csv"
    assert cli("export", "--db", db_url, "--out", str(out)) == 0
    assert "Wrote 4 screenings" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # health answers

    header, rows = read_csv(out.read_text())
    trial = load_trial()
    assert header == (
        ["screening_id", "pseudonym", "trial_id", "channel", "subject",
         "started_at", "updated_at", "finished_at", "status", "verdict"]
        + [f"criterion:{c.id}" for c in trial.criteria if c.known]
        + [f"answer:{q.id}" for q in trial.screening.questions]  # type: ignore[union-attr]
    )
    assert [r["screening_id"] for r in rows] == [march["ann"], march["bob"], march["cat"], march["dan"]]
    ann, bob, cat, dan = rows
    assert (ann["pseudonym"], ann["channel"], ann["subject"]) == ("p_ann", "rest", "self")
    assert ann["started_at"] == "2024-03-01T09:30:00Z"
    assert ann["finished_at"].startswith("2024-03-01T09:3") and ann["status"] == "finished"
    assert ann["verdict"] == "likely_eligible"
    assert {v for k, v in ann.items() if k.startswith("criterion:")} == {"pass"}
    assert ann["answer:age"] == "54" and ann["answer:weakness_started"] == "about 18 months ago"
    assert ann["answer:riluzole_recent"] == ""  # never asked of someone taking it

    assert bob["channel"] == "telegram" and bob["verdict"] == "likely_not_eligible"
    assert bob["criterion:age_18_plus"] == "fail" and bob["answer:age"] == "16"

    assert (cat["status"], cat["verdict"], cat["finished_at"], cat["subject"]) == ("unfinished", "", "", "other")
    assert cat["answer:other_causes_ruled_out"] == "unsure" and cat["answer:age"] == ""
    assert all(v == "" for k, v in cat.items() if k.startswith("criterion:"))

    assert dan["verdict"] == "needs_review"
    assert dan["criterion:ventilator"] == dan["criterion:able_to_travel"] == "unknown"


def test_export_to_the_screen_keeps_only_the_days_asked_for(
    db_url: str, march: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    # cat started at 23:30 on the last day: included; dan at 00:10 the day after: not.
    assert cli("export", "--db", db_url, "--since", "2024-03-10", "--until", "2024-03-31") == 0  # to the screen
    _, rows = read_csv(capsys.readouterr().out)
    assert [r["pseudonym"] for r in rows] == ["p_bob", "p_cat"]

    assert cli("export", "--db", db_url, "--out", "-", "--since", "2024-04-02") == 0
    header, rows = read_csv(capsys.readouterr().out)
    assert rows == [] and header[0] == "screening_id"


def test_export_keeps_stored_answers_the_trial_file_no_longer_asks(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    store = ScreeningStore(db_url, clock=clock)
    screen(store, clock, "p_old", at("2024-03-01"), {"age": 61, "retired_question": "yes"}, finish=False)
    store.close()
    assert cli("export", "--db", db_url, "--out", "-") == 0
    header, rows = read_csv(capsys.readouterr().out)
    assert header[-1] == "answer:retired_question" and rows[0]["answer:retired_question"] == "yes"


def test_export_shows_numbers_as_they_are_read_back_not_as_stored_json(
    db_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    clock = Clock()
    store = ScreeningStore(db_url, clock=clock)
    screen(store, clock, "p_ranges", at("2024-03-01"), {
        "weakness_started": {"low": 18, "high": 30, "low_open": False, "high_open": False},
        "age": {"low": 60, "high": None, "low_open": True, "high_open": False},
        "riluzole_taking": "no",
        "riluzole_recent": {"low": 15.22, "high": 45.66, "low_open": False, "high_open": False},
        "retired_question": {"low": 2, "high": 3, "low_open": False, "high_open": False},
    }, finish=False)
    screen(store, clock, "p_point", at("2024-03-02"), {"weakness_started": 14, "age": 54}, finish=False)
    store.close()
    assert cli("export", "--db", db_url, "--out", "-") == 0
    _, (ranges, point) = read_csv(capsys.readouterr().out)
    assert ranges["answer:weakness_started"] == "18 to 30 months ago"
    assert ranges["answer:age"] == "over 60"
    assert ranges["answer:riluzole_recent"] == "15 to 46 days ago"
    assert ranges["answer:riluzole_taking"] == "no"  # codes stay codes
    assert ranges["answer:retired_question"] == "2 to 3"
    assert (point["answer:weakness_started"], point["answer:age"]) == ("about 14 months ago", "54")
    assert "{" not in "".join(ranges.values()) + "".join(point.values())


# --- summary ------------------------------------------------------------------------------------

def lines_after(output: str, heading: str) -> list[str]:
    """The indented lines under a heading of the summary."""
    block = output.split(heading, 1)[1].splitlines()[1:]
    taken = []
    for line in block:
        if not line.startswith("  "):
            break
        taken.append(" ".join(line.split()))
    return taken


def test_summary_counts_verdicts_failing_and_unknown_criteria_and_handoffs(
    db_url: str, march: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli("summary", "--db", db_url) == 0
    out = capsys.readouterr().out
    assert "Screenings started: 4 (3 finished, 1 unfinished)" in out
    assert "about themselves: 3, about someone they care for: 1" in out
    assert lines_after(out, "Verdicts") == ["likely eligible 1", "likely not eligible 1", "needs review 1"]
    assert lines_after(out, "Criteria that failed") == ["Age (age_18_plus) 1"]
    assert lines_after(out, "Criteria left for the study team") == [
        "Travel to the study site (able_to_travel) 1", "Breathing machines (ventilator) 1",
    ]
    assert lines_after(out, "Hand-off requests: 3 (1 during a pre-screen)") == [
        "asked for a person 2", "not understood repeatedly 1",
    ]


def test_summary_over_a_date_range(db_url: str, march: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("summary", "--db", db_url, "--since", "2024-03-02", "--until", "2024-03-31") == 0
    out = capsys.readouterr().out
    assert "from 2024-03-02 to 2024-03-31 (UTC)" in out
    assert "Screenings started: 2 (1 finished, 1 unfinished)" in out
    assert lines_after(out, "Verdicts") == ["likely eligible 0", "likely not eligible 1", "needs review 0"]
    assert lines_after(out, "Criteria left for the study team") == ["(none)"]
    assert "Hand-off requests: 2 (1 during a pre-screen)" in out


# --- hand-off requests --------------------------------------------------------------------------

def test_handoffs_lists_each_request_with_why_and_when(
    db_url: str, march: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli("handoffs", "--db", db_url, "--until", "2024-03-31") == 0
    out = capsys.readouterr().out
    assert "Hand-off requests for NCT03268603, up to 2024-03-31 (UTC): 2" in out
    rows = [" ".join(line.split()) for line in out.splitlines() if line.startswith("2024-")]
    assert rows == [
        "2024-03-02 12:00 UTC asked for a person yes rest p_ann",
        "2024-03-20 08:05 UTC not understood repeatedly no telegram p_zed",
    ]
    assert cli("handoffs", "--db", db_url, "--since", "2025-01-01") == 0
    assert capsys.readouterr().out.strip().endswith(": 0")


# --- purge --------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def no_conversation_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversation history is tested in test_retention.py; here there is none."""
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "no-tracker.db"))
    monkeypatch.delenv("RETENTION_DAYS", raising=False)


@pytest.fixture
def aged(db_url: str) -> Iterator[ScreeningStore]:
    """A screening and a hand-off request 40 days old, and one of each 5 days old."""
    clock = Clock(utcnow() - timedelta(days=40))
    store = ScreeningStore(db_url, clock=clock)
    screen(store, clock, "p_old", clock.now, {"age": 70}, finish=False)
    store.record_handoff("p_old", TRIAL_ID, "rest", "asked", during_prescreen=False)
    screen(store, clock, "p_new", utcnow() - timedelta(days=5), {"age": 50}, finish=False)
    store.record_handoff("p_new", TRIAL_ID, "rest", "asked", during_prescreen=False)
    yield store
    store.close()


class Terminal(io.StringIO):
    """Keyboard input typed at a terminal."""

    def isatty(self) -> bool:
        return True


def kept(store: ScreeningStore) -> tuple[list[str], list[str]]:
    return [s.pseudonym for s in store.list_screenings()], [h.pseudonym for h in store.list_handoffs()]


def test_purge_with_yes_deletes_only_what_is_older(
    db_url: str, aged: ScreeningStore, capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli("purge", "--db", db_url, "--older-than-days", "30", "--yes") == 0
    assert "Deleted 1 screening and 1 hand-off request older than 30 days." in capsys.readouterr().out
    assert kept(aged) == (["p_new"], ["p_new"])
    assert cli("purge", "--db", db_url, "--older-than-days", "30", "--yes") == 0
    assert "Nothing is older than 30 days" in capsys.readouterr().out


def test_purge_without_yes_refuses_when_nobody_can_confirm(
    db_url: str, aged: ScreeningStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # piped: not a person typing
    assert cli("purge", "--db", db_url, "--older-than-days", "30") == 1
    err = capsys.readouterr().err
    assert "1 screening, 1 hand-off request and 0 conversation events (0 whole conversations) would be deleted" in err
    assert "--yes" in err
    assert kept(aged) == (["p_old", "p_new"], ["p_old", "p_new"])


@pytest.mark.parametrize("typed, deleted", [("n\n", False), ("\n", False), ("y\n", True)])
def test_purge_asks_at_a_terminal(
    db_url: str, aged: ScreeningStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    typed: str, deleted: bool,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(typed))
    assert cli("purge", "--db", db_url, "--older-than-days", "30") == (0 if deleted else 1)
    out = capsys.readouterr().out
    assert "Delete 1 screening, 1 hand-off request and 0 conversation events" in out
    if deleted:
        assert kept(aged) == (["p_new"], ["p_new"])
    else:
        assert "Nothing deleted." in out
        assert kept(aged) == (["p_old", "p_new"], ["p_old", "p_new"])


# --- which database, and errors a person can read -----------------------------------------------

def test_without_db_it_reads_the_bots_database_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    clock = Clock()
    store = ScreeningStore(url, clock=clock)
    screen(store, clock, "p_ann", at("2024-03-01"), ELIGIBLE)
    store.close()
    monkeypatch.setenv("SCREENING_DB_URL", url)
    assert cli("summary") == 0
    assert "Screenings started: 1 (1 finished, 0 unfinished)" in capsys.readouterr().out


def run_module(*args: str, env: Optional[dict[str, str]] = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "staff", *args], cwd=REPO_ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=120,
    )


def test_mistakes_get_one_clear_line_and_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    cases = [
        (["summary", "--db", f"sqlite:///{missing}"], 1, f"no screening database at {missing}"),
        (["export", "--out", "-", "--since", "2024-02-30"], 2, "'2024-02-30' is not a date like 2024-03-31"),
        (["summary", "--until", "31/03/2024"], 2, "is not a date"),
        (["summary", "--db", "not a url"], 1, "is not a database URL"),
        (["handoffs", "--db", "postgresql://staff:hunter2@127.0.0.1:1/test"], 1,
         "could not use the database at postgresql://staff:***@127.0.0.1:1/test"),
        (["purge", "--older-than-days", "-3", "--yes"], 1, "--older-than-days must be 0 or more"),
        (["summary", "--trial", "NCT99999999"], 1, "no trial file"),
    ]
    db = tmp_path / "real.db"
    db.touch()
    for args, code, message in cases:
        done = run_module(*args, env={"SCREENING_DB_URL": f"sqlite:///{db}"})
        assert done.returncode == code, (args, done.stderr)
        assert message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr and "hunter2" not in done.stderr
    assert not missing.exists()  # reading never makes an empty database


def test_since_after_until_is_refused(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("summary", "--db", db_url, "--since", "2024-04-01", "--until", "2024-03-01") == 1
    assert "--since 2024-04-01 is after --until 2024-03-01" in capsys.readouterr().err


def test_export_to_a_folder_that_does_not_exist_says_so(
    db_url: str, march: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli("export", "--db", db_url, "--out", str(tmp_path / "no" / "such.csv")) == 1
    assert re.search(r"cannot write .*such\.csv: No such file or directory", capsys.readouterr().err)


def test_the_cli_runs_without_rasa() -> None:
    """bot/ is importable without Rasa, so staff can run it on a machine without the model stack."""
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, staff.cli; print(sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'rasa_sdk', 'tensorflow'}))"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_export_never_writes_through_a_symbolic_link(
    db_url: str, march: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Someone who can write the export folder plants a link to a file of their choosing:
    the answers go nowhere, and the link's target is left as it was."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("theirs\n")
    link = tmp_path / "screenings.csv"
    link.symlink_to(target)
    assert cli("export", "--db", db_url, "--out", str(link)) == 1
    assert "is a symbolic link; not writing through it" in capsys.readouterr().err
    assert target.read_text() == "theirs\n" and link.is_symlink()
    dangling = tmp_path / "new.csv"
    dangling.symlink_to(tmp_path / "made-by-the-link.csv")
    assert cli("export", "--db", db_url, "--out", str(dangling)) == 1
    assert not (tmp_path / "made-by-the-link.csv").exists()


def test_export_over_an_existing_readable_file_makes_it_private(
    db_url: str, march: dict[str, str], tmp_path: Path,
) -> None:
    out = tmp_path / "screenings.csv"
    out.write_text("an older, longer export that everyone could read\n" * 100)
    out.chmod(0o644)
    assert cli("export", "--db", db_url, "--out", str(out)) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("screening_id,") and "older" not in out.read_text()
