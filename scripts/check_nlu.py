"""Fail the test run when NLU quality on a held-out set drops below its floor.

Reads the reports `rasa test nlu --out DIR` writes: intent macro-F1 (intent_report.json) and
FAQ response-selection accuracy (response_selection_report.json), and writes both to summary.json.
The goals (0.95 on sets written without seeing the training data) are reported beside the figures;
the run fails only below the floor (--floor, default 0.90), so a goal missed shows before it breaks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FLOOR = 0.90
GOAL = 0.95


def _weakest(report: dict, n: int = 5) -> list[tuple[float, str]]:
    scores = [
        (v["f1-score"], k) for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k
    ]
    return sorted(scores)[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="the --out folder of `rasa test nlu`")
    parser.add_argument("--name", default="held-out", help="what the set is, for the report line")
    parser.add_argument("--floor", type=float, default=FLOOR, help="fail below this (both figures)")
    parser.add_argument("--goal", type=float, default=GOAL, help="the figure aimed at (reported)")
    args = parser.parse_args(argv)
    try:
        intents = json.loads((args.results / "intent_report.json").read_text())
        selection = json.loads((args.results / "response_selection_report.json").read_text())
    except (OSError, ValueError) as exc:
        print(f"check_nlu: cannot read the reports in {args.results}: {exc}", file=sys.stderr)
        return 2
    f1 = intents["macro avg"]["f1-score"]
    accuracy = selection["accuracy"]
    print(
        f"NLU {args.name}: intent macro-F1 {f1:.3f}, FAQ selection accuracy {accuracy:.3f} "
        f"(goal {args.goal}, floor {args.floor})"
    )
    print("weakest intents: " + ", ".join(f"{name} {score:.2f}" for score, name in _weakest(intents)))
    print("weakest FAQ topics: " + ", ".join(f"{name} {score:.2f}" for score, name in _weakest(selection)))
    summary = {"set": args.name, "intent_macro_f1": f1, "response_selection_accuracy": accuracy, "goal": args.goal}
    (args.results / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    ok = f1 >= args.floor and accuracy >= args.floor
    if not ok:
        print(f"check_nlu: {args.name} below the floor {args.floor}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
