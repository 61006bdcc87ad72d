"""scripts/supervise.py, which `make run` uses: real child processes, real signals.

The servers here are small Python sleepers that write their pid to a file, so a test can kill
one as a crash would and see another take its place; the real servers are supervised the same
way in tests/e2e/test_faults.py.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.paths import REPO_ROOT
from tests.faults import alive, until

SUPERVISE = REPO_ROOT / "scripts" / "supervise.py"
SLEEPER = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"


def pid_in(path: Path) -> int:
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return 0


@pytest.fixture
def supervised(tmp_path: Path):
    procs: list[subprocess.Popen] = []

    def start(*servers: tuple[str, list[str]], first_delay: float = 0.2) -> subprocess.Popen:
        args = [sys.executable, str(SUPERVISE), "--logs", str(tmp_path / "log"),
                "--first-delay", str(first_delay)]
        for i, (name, command) in enumerate(servers):
            args += (["::"] if i else []) + [name, "--", *command]
        proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_killed_server_is_started_again_and_ctrl_c_stops_everything(tmp_path: Path, supervised) -> None:
    actions_pid, web_pid = tmp_path / "actions.pid", tmp_path / "web.pid"
    proc = supervised(("actions", [sys.executable, "-c", SLEEPER, str(actions_pid)]),
                      ("web", [sys.executable, "-c", SLEEPER, str(web_pid)]))
    first, web = until(lambda: pid_in(actions_pid)), until(lambda: pid_in(web_pid))
    os.kill(first, signal.SIGKILL)  # a crash
    second = until(lambda: pid_in(actions_pid) != first and pid_in(actions_pid))
    assert alive(second) and alive(web) and not alive(first)
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    assert proc.wait(timeout=30) == 130  # as a shell reports Ctrl-C
    said = proc.stderr.read()
    assert "The actions server stopped (signal SIGKILL); starting it again in 0.2 s." in said
    assert "Started the actions server again" in said
    assert not alive(second) and not alive(web)
    assert pid_in(actions_pid) == second, "nothing is restarted while stopping"


def test_sigterm_stops_everything_too(tmp_path: Path, supervised) -> None:
    pid_file = tmp_path / "rasa.pid"
    proc = supervised(("rasa", [sys.executable, "-c", SLEEPER, str(pid_file)]))
    pid = until(lambda: pid_in(pid_file))
    proc.terminate()
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert not alive(pid)


def test_a_server_that_keeps_failing_is_given_up_with_the_end_of_its_log(supervised) -> None:
    failing = [sys.executable, "-c", "import sys; print('port 5055 is taken'); sys.exit(3)"]
    proc = supervised(("actions", failing), first_delay=0.05)
    assert proc.wait(timeout=30) == 1
    said = proc.stderr.read()
    assert "The actions server stopped (exit code 3); starting it again in 0.05 s." in said
    assert "stopped 5 times in a row (exit code 3); giving up" in said
    assert "port 5055 is taken" in said


def test_the_servers_log_keeps_what_it_wrote_before_a_restart(tmp_path: Path, supervised) -> None:
    pid_file = tmp_path / "web.pid"
    talker = "import os, sys, time; print('hello from', os.getpid(), flush=True); " + SLEEPER[len("import os, sys, time; "):]
    proc = supervised(("web", [sys.executable, "-c", talker, str(pid_file)]))
    first = until(lambda: pid_in(pid_file))
    os.kill(first, signal.SIGKILL)
    second = until(lambda: pid_in(pid_file) != first and pid_in(pid_file))
    log = tmp_path / "log" / "web.log"
    until(lambda: f"hello from {second}" in log.read_text())
    assert f"hello from {first}" in log.read_text()
    proc.terminate()
    proc.wait(timeout=30)
