"""Fail the test run when NLU quality on the held-out set drops below the issue's thresholds.

Reads the reports `rasa test nlu --out DIR` writes: intent macro-F1 (intent_report.json) and
FAQ response-selection accuracy (response_selection_report.json).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

INTENT_MACRO_F1 = 0.90
RESPONSE_SELECTION_ACCURACY = 0.90


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="the --out folder of `rasa test nlu`")
    args = parser.parse_args(argv)
    try:
        intents = json.loads((args.results / "intent_report.json").read_text())
        selection = json.loads((args.results / "response_selection_report.json").read_text())
    except (OSError, ValueError) as exc:
        print(f"check_nlu: cannot read the reports in {args.results}: {exc}", file=sys.stderr)
        return 2
    f1 = intents["macro avg"]["f1-score"]
    accuracy = selection["accuracy"]
    weakest = sorted(
        (v["f1-score"], k) for k, v in intents.items() if isinstance(v, dict) and "support" in v and "avg" not in k
    )[:5]
    print(
        f"NLU held-out: intent macro-F1 {f1:.3f} (goal {INTENT_MACRO_F1}), "
        f"FAQ response selection accuracy {accuracy:.3f} (goal {RESPONSE_SELECTION_ACCURACY})"
    )
    print("weakest intents: " + ", ".join(f"{name} {score:.2f}" for score, name in weakest))
    (args.results / "summary.json").write_text(
        json.dumps({"intent_macro_f1": f1, "response_selection_accuracy": accuracy}, indent=2) + "\n"
    )
    ok = f1 >= INTENT_MACRO_F1 and accuracy >= RESPONSE_SELECTION_ACCURACY
    if not ok:
        print("check_nlu: below the goal", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
