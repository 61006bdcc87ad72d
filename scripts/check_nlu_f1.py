"""Prints the cross-validated intent F1 and fails when it is under the floor."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(results_dir: str, floor: float) -> int:
    report = json.loads((Path(results_dir) / "intent_report.json").read_text())
    f1 = report["weighted avg"]["f1-score"]
    weak = sorted(
        (name, scores["f1-score"])
        for name, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and name not in
        ("micro avg", "macro avg", "weighted avg") and scores["f1-score"] < 0.85
    )
    print(f"NLU cross-validation: intent F1 (weighted) = {f1:.3f} (floor {floor:.2f})")
    for name, score in weak:
        print(f"  weak intent: {name} F1 = {score:.3f}")
    return 0 if f1 >= floor else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
