"""The assistants `make bench` measures, started the way they run for real.

- **ours**: one action server and one Rasa server on SQLite files (what `make run` starts);
- **ours, scaled out**: two of each on one PostgreSQL and one Redis (what the scale-out test,
  docker-compose.yml and the README's Kubernetes section run); visitors' turns go to both;
- **stock**: the assistant `rasa init` makes (same Rasa, same machine, its own training data,
  in-memory tracker store, no action server).

Every server is started by scripts/serve-rasa.sh / serve-actions.sh, as in every other shape.
Training is timed from a cold cache (RASA_CACHE_DIRECTORY in a fresh folder) for both.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import requests
import sqlalchemy as sa

from bot.paths import MODEL_FILE, REPO_ROOT
from tests.ports import free_port

BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
QUIET = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
# What each server of the scaled-out shape is given, here as in docker-compose.yml and the Helm
# values of deploy/helm/ (tests/unit/test_deployment_files.py holds them to this list).
SCALED_OUT = {
    "rasa": ("RASA_PORT", "ACTION_SERVER_URL", "ACTION_SERVER_TOKEN", "SCREENING_ID_SECRET",
             "TRACKER_DB", "LOCK_STORE_URL", "SEEN_MESSAGES_DB_URL"),
    "actions": ("ACTION_PORT", "ACTION_SERVER_TOKEN", "SCREENING_ID_SECRET", "SCREENING_DB_URL"),
}
COMMANDS = {"rasa": ["bash", "scripts/serve-rasa.sh"], "actions": ["bash", "scripts/serve-actions.sh"]}


@dataclass
class Server:
    role: str  # "rasa", "actions", "rasa 2"...
    process: subprocess.Popen
    log: Path


@dataclass
class Assistant:
    name: str
    urls: list[str]
    servers: list[Server] = field(default_factory=list)
    startup_seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def stop(self) -> None:
        for server in self.servers:
            server.process.terminate()
        for server in self.servers:
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()


def _start(role: str, command: list[str], env: dict, cwd: Path, logs: Path) -> Server:
    log = logs / f"{role.replace(' ', '-')}.log"
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    return Server(role, process, log)


def wait_until_answering(assistant: Assistant, began: float, seconds: float = 600) -> None:
    """Until every Rasa server answers a message (its model loaded, its actions reachable)."""
    for url in assistant.urls:
        deadline = time.monotonic() + seconds
        while True:
            for server in assistant.servers:
                if server.process.poll() is not None:
                    raise RuntimeError(f"{assistant.name}: {server.role} stopped; see {server.log}")
            try:
                reply = requests.post(f"{url}/webhooks/rest/webhook", timeout=30,
                                      json={"sender": f"bench-ready-{uuid.uuid4().hex}", "message": "hello"})
                if reply.ok and reply.json():
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{assistant.name}: {url} did not answer within {seconds:g} s")
            time.sleep(0.5)
    assistant.startup_seconds = round(time.monotonic() - began, 1)


def _our_env(work: Path, rasa_port: int, action_port: int, stores: dict[str, str]) -> dict:
    env = dict(os.environ, **QUIET, BIN=str(BIN), MODEL=str(MODEL_FILE),
               RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port),
               ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
               SCREENING_ID_SECRET=secrets.token_hex(32), VAR_DIR=str(work / "var"),
               ACTION_SERVER_TOKEN=secrets.token_urlsafe(32))
    env.pop("SANIC_WORKERS", None)
    env.pop("LOCK_STORE_URL", None)
    env.update(stores)
    return env


def start_ours(work: Path, copies: int = 1, stores: Optional[dict[str, str]] = None,
               secret: Optional[str] = None) -> Assistant:
    """`copies` pairs of an action server and a Rasa server; SQLite files unless `stores`.
    All share one pseudonym secret (`secret`, else a new one)."""
    work.mkdir(parents=True, exist_ok=True)
    stores = stores or {"TRACKER_DB": str(work / "tracker.db"),
                        "SCREENING_DB_URL": f"sqlite:///{work / 'screenings.db'}",
                        "SEEN_MESSAGES_DB_URL": f"sqlite:///{work / 'seen.db'}"}
    name = "ours" if copies == 1 else f"ours, {copies} servers"
    assistant = Assistant(name, [])
    began = time.monotonic()
    secret = secret or secrets.token_hex(32)
    for copy in range(copies):
        suffix = "" if copy == 0 else f" {copy + 1}"
        rasa_port, action_port = free_port(), free_port()
        env = dict(_our_env(work, rasa_port, action_port, stores), SCREENING_ID_SECRET=secret)
        for role in ("actions", "rasa"):
            missing = [name for name in SCALED_OUT[role] if not env.get(name)]
            assert copies == 1 or not missing, f"{role} would start without {missing}"
            assistant.servers.append(_start(role + suffix, COMMANDS[role], env, REPO_ROOT, work))
        assistant.urls.append(f"http://127.0.0.1:{rasa_port}")
    wait_until_answering(assistant, began)
    return assistant


def start_stock(project: Path, work: Path) -> Assistant:
    port = free_port()
    env = dict(os.environ, **QUIET)
    began = time.monotonic()
    assistant = Assistant("stock rasa init", [f"http://127.0.0.1:{port}"])
    assistant.servers.append(_start("rasa", [str(BIN / "rasa"), "run", "--port", str(port),
                                             "--interface", "127.0.0.1"], env, project, work))
    wait_until_answering(assistant, began)
    return assistant


def train_ours(work: Path) -> float:
    """Seconds to train this assistant from a cold cache (the model is thrown away)."""
    env = dict(os.environ, **QUIET, RASA_CACHE_DIRECTORY=str(work / "cache"))
    began = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "train", "--fixed-model-name", "bench", "--out",
                    str(work / "models")], cwd=REPO_ROOT, env=env, check=True,
                   stdout=(work / "train.log").open("w"), stderr=subprocess.STDOUT)
    return round(time.monotonic() - began, 1)


def build_stock(project: Path, work: Path) -> float:
    """`rasa init` in `project` (it trains its model); the seconds it took, cold cache."""
    env = dict(os.environ, **QUIET, RASA_CACHE_DIRECTORY=str(work / "stock-cache"))
    began = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                   cwd=project.parent, env=env, check=True,
                   stdout=(work / "stock-init.log").open("w"), stderr=subprocess.STDOUT)
    return round(time.monotonic() - began, 1)


# --- memory -------------------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            pass
    return pids


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def watching_memory(assistants: list[Assistant], every: float = 0.5) -> Iterator[None]:
    """Keeps each server's peak resident memory (its largest process) while the block runs."""
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for assistant in assistants:
                for server in assistant.servers:
                    rss = max((_rss_mb(p) for p in _tree(server.process.pid)), default=0.0)
                    peak = assistant.peak_rss_mb
                    peak[server.role] = round(max(peak.get(server.role, 0.0), rss))
            stop.wait(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# --- PostgreSQL and Redis for the scaled-out shape ----------------------------------------------

@contextmanager
def shared_stores(lock_db: int = 3) -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database and Redis database for one run; both emptied afterwards."""
    import redis

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"{POSTGRES}/{name}"
    try:
        yield {"TRACKER_DB": url, "SCREENING_DB_URL": url, "SEEN_MESSAGES_DB_URL": url,
               "LOCK_STORE_URL": f"{REDIS}/{lock_db}"}
    finally:
        redis.Redis.from_url(f"{REDIS}/{lock_db}").flushdb()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
