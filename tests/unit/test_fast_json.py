"""adapters/fast_json.py reads and writes exactly what the standard library does."""
from __future__ import annotations

import json
import math

import pytest

from adapters import fast_json

VALUES = [
    {"event": "user", "text": "héllo ✓ \u2028 </script> \"quoted\" \\ back", "timestamp": 1733327000.1234567,
     "parse_data": {"intent": {"name": "x", "confidence": 0.30000000000000004}, "entities": []}},
    [1e-7, 2.5e300, 0.1, -0.0, 1.0, 10**18, -(2**63)],
    {"nested": {"list": [None, True, False, "", {}], "emoji": "🙂", "zw": "a\u200bb"}},
    "x" * 10_000,
]


@pytest.mark.parametrize("value", VALUES)
def test_written_and_read_back_as_the_standard_library_would(value) -> None:
    assert json.loads(fast_json.dumps(value)) == value
    assert fast_json.loads(json.dumps(value)) == value


def test_huge_numbers_and_nan_come_back_too() -> None:
    huge = {"age": 10**40}
    assert json.loads(fast_json.dumps(huge)) == huge
    assert math.isnan(fast_json.loads(json.dumps({"x": float("nan")}))["x"])
    assert math.isnan(json.loads(fast_json.dumps({"x": float("nan")}))["x"])
