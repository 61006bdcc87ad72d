"""What every answer of the page's server carries: the security headers, on pages, JSON and
errors alike (http.server's own included), and an error as the sentence the page shows.

The Content-Security-Policy forbids every host but this one: the only script that runs is our
own and deep-chat's, whatever a message contains.
"""
from __future__ import annotations

import json

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP 2
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def error_body(sentence: str) -> bytes:
    """An error as the page reads it: app.js shows a reply's `error` to the person."""
    return json.dumps({"error": sentence}).encode()
