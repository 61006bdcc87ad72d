"""Item: everything the assistant writes is private (umask 077, var/ 0700, old files tightened).

Checked with real files and real processes: the shell part that `make run` and `make shell`
source (scripts/private-var.sh), and the Python entry points that write.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from bot.paths import REPO_ROOT
from bot.privacy.private_files import tighten



def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _world_readable_var(root: Path) -> Path:
    """A data folder as an earlier version left it: 0755 folders, 0644 files, and a link."""
    var = root / "var"
    (var / "log").mkdir(parents=True)
    for name in ("tracker.db", "screenings.db", "log/rasa.log"):
        (var / name).write_text("health data")
    outside = root / "outside.txt"
    outside.write_text("not ours to change")
    outside.chmod(0o644)
    (var / "link").symlink_to(outside)
    for path in (var, var / "log"):
        path.chmod(0o755)
    for name in ("tracker.db", "screenings.db", "log/rasa.log"):
        (var / name).chmod(0o644)
    return var


def test_tighten_makes_the_data_folder_and_everything_in_it_owner_only(tmp_path: Path) -> None:
    var = _world_readable_var(tmp_path)
    tighten(var)
    assert mode(var) == mode(var / "log") == 0o700
    for name in ("tracker.db", "screenings.db", "log/rasa.log"):
        assert mode(var / name) == 0o600, name
    assert mode(tmp_path / "outside.txt") == 0o644  # a link's target is left alone


def test_make_private_sets_umask_077_for_what_the_process_writes_next(tmp_path: Path) -> None:
    script = (
        "import os, sys; from pathlib import Path; from bot.privacy.private_files import make_private;"
        "var = Path(sys.argv[1]); make_private(var);"
        "(var / 'new.db').write_text('x'); (var / 'newdir').mkdir()"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "var")], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.umask(0o022))
    assert done.returncode == 0, done.stderr
    assert mode(tmp_path / "var") == 0o700
    assert mode(tmp_path / "var" / "new.db") == 0o600
    assert mode(tmp_path / "var" / "newdir") == 0o700


def test_the_shell_of_make_run_and_make_shell_is_private_too(tmp_path: Path) -> None:
    """run.sh and shell.sh source scripts/private-var.sh before starting anything: the logs
    their redirections create, and every server they start, inherit umask 077."""
    var = _world_readable_var(tmp_path)
    done = subprocess.run(
        ["bash", "-c", f'umask 022; VAR_DIR="{var}"; . "{REPO_ROOT}/scripts/private-var.sh"; '
                       f'echo started >"{var}/log/new.log"; umask; '
                       f'python3 -c "import os; print(oct(os.umask(0)))"'],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0077", "0o77"]
    assert mode(var) == mode(var / "log") == 0o700
    assert mode(var / "log" / "new.log") == mode(var / "tracker.db") == 0o600
    for script in ("run.sh", "shell.sh"):
        text = (REPO_ROOT / "scripts" / script).read_text()
        first_server = min(text.index(word) for word in ('"$BIN/rasa"', '"$BIN/python"') if word in text)
        assert text.index("private-var.sh") < first_server, script


def test_the_python_entry_points_that_write_make_themselves_private() -> None:
    """Each writes with umask 077 however it is started (not only through make run)."""
    checks = {
        "actions": "import actions",  # the action server loads this package
        "adapters.tracker_store": "import adapters.tracker_store",  # the Rasa server loads these
        "adapters.channels": "import adapters.channels",
        "staff.cli": "import staff.cli; staff.cli.main(['purge', '--help'])",
        "web.page_server": "import web.page_server; web.page_server.main(['--help'])",
    }
    for name, code in checks.items():
        # --help exits 0 through SystemExit; what matters is the umask it ran with.
        probe = subprocess.run(
            [sys.executable, "-c", f"import os, sys\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
                                   "print('UMASK', oct(os.umask(0)))"],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(0o022),
        )
        assert "UMASK 0o77" in probe.stdout, (name, probe.stdout[-500:], probe.stderr[-2000:])
