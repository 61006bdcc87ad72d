"""Everything the assistant writes is private to the user it runs as.

The conversation history, the pre-screen answers, the logs and exports hold health data, so
each process that writes them sets umask 077 (new files 0600, new folders 0700) before it
writes anything, and the data folder `var/` is made 0700 with what is already in it
tightened (files and folders made before this rule, or by a process run with another umask).

Entry points call `make_private()`: the action server (actions/__init__.py), the Rasa server
(the tracker store and channel modules it loads), the staff CLI and the chat page's server.
`scripts/run.sh` and `scripts/shell.sh` do the same in the shell (scripts/private-var.sh).
Standard library only, like the rest of bot/.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

from bot.paths import VAR_DIR

UMASK = 0o077


def make_private(var_dir: Optional[Path] = None) -> None:
    """umask 077 for this process; `var/` (made if missing) and everything in it owner-only."""
    os.umask(UMASK)
    tighten(VAR_DIR if var_dir is None else var_dir)


def tighten(folder: Path) -> None:
    """Makes `folder` 0700 and removes group and other access from everything under it.

    Symbolic links are neither followed nor changed (a link to /etc stays a link; its
    target is not ours to change). Files of another owner are left as they are.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(folder)
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            _owner_only(Path(root) / name)


def _owner_only(path: Path) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
            return
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700, follow_symlinks=False)
    except FileNotFoundError:  # gone meanwhile (a journal file SQLite removed)
        pass
    except NotImplementedError:  # no lchmod on this platform: the link check above suffices
        os.chmod(path, stat.S_IMODE(path.lstat().st_mode) & 0o700)


def open_private_for_writing(path: str) -> int:
    """A file descriptor to write `path` from its start, never through a symbolic link.

    The file is made 0600 if new and set to 0600 if it was there (a file made earlier with
    another mode is tightened before anything is written); only then is it emptied. A
    symbolic link, a folder or a device at `path` raises OSError instead.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600)
    # O_NONBLOCK: a FIFO put at `path` fails at once instead of hanging the command.
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(f"{path} is not a regular file")
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, 0)
    except BaseException:
        os.close(fd)
        raise
    return fd
