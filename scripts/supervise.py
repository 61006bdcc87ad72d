"""Keeps `make run`'s servers running: a server that stops unexpectedly is started again.

    python scripts/supervise.py --logs var/log NAME -- COMMAND... [:: NAME -- COMMAND...]

Each server's output goes to LOGS/NAME.log (emptied at the first start, appended to after a
restart, so the reason of a crash stays readable). A server that stops is started again after
a back-off (1 s, doubling up to 30 s; back to 1 s once it has run for a minute), with one line
on stderr naming the server and its exit status only, never what it logged. A server that
stops five times in a row within a minute of starting is given up: everything stops, the end
of its log is shown, and the exit status is 1.

SIGINT (Ctrl-C), SIGTERM or SIGHUP stops every server (SIGTERM, then SIGKILL after 20 s) and
exits with 128 + the signal's number, as a shell reports it (130 for Ctrl-C): whichever of
run.sh and this process sees the Ctrl-C first, `make run` ends with the same status.
The servers run in their own sessions, so a Ctrl-C in the terminal reaches only this process
and nothing is restarted while stopping; on Linux they are also told to stop if this process
dies. Standard library only.
"""
from __future__ import annotations

import argparse
import ctypes
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 30.0
STEADY_AFTER_S = 60.0  # a server that ran this long stopped for a new reason: back-off resets
GIVE_UP_AFTER = 5  # quick stops in a row
STOP_GRACE_S = 20.0
TAIL_LINES = 25


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


@dataclass
class Server:
    name: str
    command: list[str]
    log: Path
    process: Optional[subprocess.Popen] = None
    started_at: float = 0.0
    quick_stops: int = 0
    first_delay: float = FIRST_DELAY_S
    delay: float = FIRST_DELAY_S
    restart_at: Optional[float] = None  # set while waiting out the back-off
    starts: int = 0

    def start(self) -> None:
        mode = "a" if self.starts else "w"
        with self.log.open(mode) as out:
            self.process = subprocess.Popen(
                self.command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
        self.started_at, self.restart_at = time.monotonic(), None
        self.starts += 1


def say(line: str) -> None:
    print(f"[supervise] {line}", file=sys.stderr, flush=True)


def exit_status(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def tail(path: Path, lines: int = TAIL_LINES) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Supervisor:
    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.stopped_by: Optional[int] = None  # the signal that asked to stop, once one did

    @property
    def stopping(self) -> bool:
        return self.stopped_by is not None

    def request_stop(self, signum: int, _frame: object) -> None:
        if self.stopped_by is None:
            self.stopped_by = signum

    def run(self) -> int:
        for server in self.servers:
            server.start()
        while not self.stopping:
            for server in self.servers:
                if self.stopping:
                    break
                if server.restart_at is not None:
                    if time.monotonic() >= server.restart_at:
                        server.start()
                        say(f"Started the {server.name} server again (pid {server.process.pid}).")
                    continue
                code = server.process.poll()
                if code is None:
                    continue
                if not self._schedule_restart(server, code):
                    self.stop_all()
                    return 1
            time.sleep(0.2)
        self.stop_all()
        return 128 + self.stopped_by if self.stopped_by is not None else 0

    def _schedule_restart(self, server: Server, code: int) -> bool:
        ran = time.monotonic() - server.started_at
        if ran >= STEADY_AFTER_S:
            server.quick_stops, server.delay = 0, server.first_delay
        server.quick_stops += 1
        if server.quick_stops >= GIVE_UP_AFTER:
            say(f"The {server.name} server stopped {GIVE_UP_AFTER} times in a row "
                f"({exit_status(code)}); giving up. The end of {server.log}:")
            print(tail(server.log), file=sys.stderr, flush=True)
            return False
        say(f"The {server.name} server stopped ({exit_status(code)}); "
            f"starting it again in {server.delay:g} s.")
        server.restart_at = time.monotonic() + server.delay
        server.delay = min(server.delay * 2, MAX_DELAY_S)
        return True

    def stop_all(self) -> None:
        running = [s.process for s in self.servers
                   if s.process is not None and s.process.poll() is None and s.restart_at is None]
        for process in running:
            try:
                process.terminate()
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_GRACE_S
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def parse(argv: list[str]) -> tuple[Path, list[Server]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", type=Path, required=True, help="folder of the servers' logs")
    parser.add_argument("--first-delay", type=float, default=FIRST_DELAY_S,
                        help="seconds before the first restart (doubles on each quick stop)")
    parser.add_argument("servers", nargs=argparse.REMAINDER,
                        help="NAME -- COMMAND..., several separated by '::'")
    args = parser.parse_args(argv)
    servers: list[Server] = []
    specs: list[list[str]] = [[]]
    for word in args.servers:
        if word == "::":
            specs.append([])
        else:
            specs[-1].append(word)
    for spec in specs:
        if len(spec) < 3 or spec[1] != "--" or not spec[0].isidentifier():
            parser.error(f"expected NAME -- COMMAND..., got {' '.join(spec)!r}")
        servers.append(Server(spec[0], spec[2:], args.logs / f"{spec[0]}.log",
                              first_delay=args.first_delay, delay=args.first_delay))
    return args.logs, servers


def main(argv: Optional[list[str]] = None) -> int:
    logs, servers = parse(sys.argv[1:] if argv is None else argv)
    logs.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(servers)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    signal.signal(signal.SIGHUP, supervisor.request_stop)  # the terminal closed
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
