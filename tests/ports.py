"""A free TCP port on this machine, for the tests' and benchmarks' own servers (and for a port
that nobody listens on)."""
from __future__ import annotations

import socket


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago: the system picks it, the socket is closed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
