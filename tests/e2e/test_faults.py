"""Faults mid-conversation: a server crashes, the action server is unreachable, the Rasa server
restarts, the screening database is locked. Nobody loses an answer, and nobody is met with silence.

The crash tests need servers they may kill, so this module starts its own `make run` (the real
scripts/run.sh and its supervisor, on free ports, with its databases and logs in a temporary
folder) once, and stops it as Ctrl-C would at the end. The store test uses the session's servers.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import uuid
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest
import requests

from actions.records import STORE_TROUBLE
from bot.prescreen.subject import Subject
from bot.trial.replies import TECHNICAL_PROBLEM
from bot.paths import REPO_ROOT
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningStore
from tests.e2e.conftest import ARTIFACTS, text_of
from tests.e2e.test_prescreen import ELIGIBLE_MAN, TRIAL, Person, asked_question
from tests.faults import alive, locked, until
from tests.ports import free_port

SECRET = "faults-secret-0123456789abcdef0123456789abcdef"


# --- the processes of one `make run` ------------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


class MakeRun:
    """scripts/run.sh in its own process group, as a terminal would run `make run`."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.ports = {name: free_port() for name in ("RASA_PORT", "ACTION_PORT", "WEB_PORT")}
        self.rasa = f"http://127.0.0.1:{self.ports['RASA_PORT']}"
        self.actions_health = f"http://127.0.0.1:{self.ports['ACTION_PORT']}/health"
        self.screening_db_url = f"sqlite:///{work / 'screenings.db'}"
        self.output = ARTIFACTS / "e2e-make-run.log"
        self.logs = work / "var" / "log"
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
                   VAR_DIR=str(work / "var"), TRACKER_DB=str(work / "tracker.db"),
                   SCREENING_DB_URL=self.screening_db_url,
                   SEEN_MESSAGES_DB_URL=f"sqlite:///{work / 'seen_messages.db'}",
                   SCREENING_ID_SECRET=SECRET, **{k: str(v) for k, v in self.ports.items()})
        for name in ("TWILIO_WEBHOOK_URL", "TELEGRAM_TOKEN", "SLACK_TOKEN"):
            env.pop(name, None)
        self.process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=REPO_ROOT, env=env,
                                        stdout=self.output.open("w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def said(self) -> str:
        return self.output.read_text()

    def supervisor(self) -> int:
        return next(c for c in _children(self.process.pid) if "supervise.py" in _command_line(c))

    def server(self, name: str) -> Optional[int]:
        """The pid of the running server: actions, rasa or web."""
        marks = {"actions": " run actions ", "web": "web.page_server", "rasa": " run --model "}
        for pid in _children(self.supervisor()):
            if marks[name] in _command_line(pid) and alive(pid):
                return pid
        return None

    def wait_until_ready(self, seconds: float = 420) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"make run stopped:\n{self.said()[-3000:]}")
            return "The trial assistant is ready." in self.said() and _up(self.rasa + "/")
        until(ready, seconds, what="make run ready", every=0.5)

    def ctrl_c(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)  # the terminal's foreground group
        return self.process.wait(timeout=60)

    def kill_everything(self) -> None:
        servers = [p for p in _children(self.supervisor()) if alive(p)] if self.process.poll() is None else []
        for pid in [self.process.pid, *servers]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MakeRun]:
    ARTIFACTS.mkdir(exist_ok=True)
    run = MakeRun(tmp_path_factory.mktemp("make-run"))
    try:
        run.wait_until_ready()
        yield run
    finally:
        if run.process.poll() is None:
            run.kill_everything()
        for log in run.logs.glob("*.log"):
            shutil.copyfile(log, ARTIFACTS / f"e2e-make-run-{log.name}")


def chat_with(rasa: str) -> Callable[..., list[dict]]:
    def send(message: str, sender: Optional[str] = None) -> list[dict]:
        response = requests.post(f"{rasa}/webhooks/rest/webhook",
                                 json={"sender": sender or f"test-{uuid.uuid4().hex}", "message": message},
                                 timeout=120)
        response.raise_for_status()
        return response.json()
    return send


def stored_answers(db_url: str, sender: str) -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREENING_ID_SECRET", SECRET)
        pseudonym = pseudonym_for("rest:" + sender)
    store = ScreeningStore(db_url)
    try:
        saved = store.current(pseudonym, TRIAL.id)
        return saved.answers if saved else {}
    finally:
        store.close()


def answer_up_to(person: Person, question_id: str) -> None:
    """Consents and answers the eligible man's answers until `question_id` is asked."""
    person.say("am i eligible")
    person.say("yes")
    for _ in range(20):
        asked = asked_question(person.last, person.subject)
        if asked == question_id:
            return
        assert asked is not None, text_of(person.last)
        person.say(ELIGIBLE_MAN[asked])
    raise AssertionError(f"{question_id} was never asked")


# --- the action server: killed mid-form, restarted by make run ---------------------------------

def test_an_action_server_crash_mid_form_is_told_kindly_and_the_form_resumes_once_it_is_back(
    make_run: MakeRun,
) -> None:
    person = Person(chat_with(make_run.rasa), Subject.self())
    answer_up_to(person, "other_causes_ruled_out")
    first = make_run.server("actions")
    assert first is not None

    os.kill(first, signal.SIGKILL)  # a crash; make run starts it again after a back-off
    until(lambda: not _up(make_run.actions_health), 10, what="the action server down", every=0.5)
    down = text_of(person.say(ELIGIBLE_MAN["other_causes_ruled_out"]))
    assert TECHNICAL_PROBLEM in down
    assert asked_question(person.last, person.subject) is None

    until(lambda: _up(make_run.actions_health), 120, what="the action server back", every=0.5)
    assert make_run.server("actions") not in (None, first)
    assert "The actions server stopped (signal SIGKILL); starting it again in 1 s." in make_run.said()
    # Sent again: taken as the answer to the same question, with the earlier answers kept.
    person.say(ELIGIBLE_MAN["other_causes_ruled_out"])
    assert TECHNICAL_PROBLEM not in text_of(person.last)
    assert asked_question(person.last, person.subject) == "weakness_started"
    assert stored_answers(make_run.screening_db_url, person.sender) == {
        "diagnosed": "yes", "other_causes_ruled_out": "yes"}
    assert person.answer_all(ELIGIBLE_MAN)["verdict"] == "likely_eligible"
    logs = "".join(log.read_text() for log in make_run.logs.glob("*.log")) + make_run.said()
    assert "got no reply" in logs and person.sender not in logs


# --- the Rasa server: killed mid-form, restarted by make run, the tracker in SQLite ------------

def test_a_rasa_server_restart_mid_form_keeps_the_form_at_the_same_question(make_run: MakeRun) -> None:
    person = Person(chat_with(make_run.rasa), Subject.self())
    answer_up_to(person, "age")
    first = make_run.server("rasa")
    assert first is not None

    os.kill(first, signal.SIGKILL)
    until(lambda: not _up(make_run.rasa + "/"), 10, what="the Rasa server down", every=0.5)
    until(lambda: _up(make_run.rasa + "/"), 420, what="the Rasa server back", every=0.5)
    assert make_run.server("rasa") not in (None, first)
    assert "The rasa server stopped (signal SIGKILL)" in make_run.said()

    # A question first: answered, then the same pending question again (not a new pre-screen).
    mid = text_of(person.say("wait is there a placebo?"))
    assert "placebo" in mid.lower()
    assert asked_question(person.last, person.subject) == "age"
    person.say(ELIGIBLE_MAN["age"])
    assert asked_question(person.last, person.subject) == "sex"
    assert person.answer_all(ELIGIBLE_MAN)["verdict"] == "likely_eligible"
    assert set(stored_answers(make_run.screening_db_url, person.sender)) >= {
        "diagnosed", "other_causes_ruled_out", "weakness_started", "age", "sex"}


# --- Ctrl-C: last, it stops this module's make run --------------------------------------------

def test_ctrl_c_stops_every_server_and_restarts_none(make_run: MakeRun) -> None:
    servers = [make_run.server(name) for name in ("actions", "rasa", "web")]
    assert None not in servers
    said_before = len(make_run.said())
    assert make_run.ctrl_c() == 130  # run.sh's INT trap; make reports the interrupt
    assert not any(alive(pid) for pid in servers)
    for port in make_run.ports.values():
        assert not _up(f"http://127.0.0.1:{port}/"), port
    assert "starting it again" not in make_run.said()[said_before:]


# --- the screening database locked mid-form (the session's servers) ----------------------------

def test_a_locked_screening_store_mid_form_is_told_kindly_and_loses_no_answer(chat, servers) -> None:
    person = Person(chat, Subject.self())
    answer_up_to(person, "other_causes_ruled_out")
    with locked(servers["screening_db_url"]):  # each write waits out SQLite's 5 s, then fails
        person.say(ELIGIBLE_MAN["other_causes_ruled_out"])
        assert STORE_TROUBLE in text_of(person.last)
        assert asked_question(person.last, person.subject) == "weakness_started"  # it goes on
        person.say(ELIGIBLE_MAN["weakness_started"])
        assert STORE_TROUBLE in text_of(person.last)
        assert asked_question(person.last, person.subject) == "age"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREENING_ID_SECRET", servers["screening_id_secret"])
        pseudonym = pseudonym_for("rest:" + person.sender)
    store = ScreeningStore(servers["screening_db_url"])
    assert set(store.current(pseudonym, TRIAL.id).answers) == {"diagnosed"}
    person.say(ELIGIBLE_MAN["age"])  # the store is back: the waiting answers are written too
    assert STORE_TROUBLE not in text_of(person.last)
    assert set(store.current(pseudonym, TRIAL.id).answers) == {
        "diagnosed", "other_causes_ruled_out", "weakness_started", "age"}
    assert person.answer_all(ELIGIBLE_MAN)["verdict"] == "likely_eligible"
    assert store.current(pseudonym, TRIAL.id).verdict == "likely_eligible"
    store.close()
    logs = servers["action_log"].read_text()
    assert "could not be written (OperationalError)" in logs
