"""Eligibility evaluations per second (goal: at least 1,000/s, i.e. at most 1 ms each).

Prints a table and writes bench/results/eligibility.json. Measures validate + evaluate from a raw
JSON-decoded object, over a mix of profiles (complete, partial, washout, failing).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bot.eligibility import screen

GOAL_PER_SECOND = 1000
PROFILES: list[dict[str, object]] = [
    {"sex": "male", "age": 62, "type2_diabetes": True, "diabetes_years": 12, "consent": True,
     "hip_or_vertebral_fragility_fracture": True, "last_oral_bisphosphonate": "2026-08-31", "as_of": "2026-11-25"},
    {"sex": "female", "age": 58, "years_since_menopause": 6, "type2_diabetes": True, "diabetes_years": 4,
     "uacr_mg_g": 45, "lowest_t_score": -2.4, "vitamin_d_ng_ml": 18, "as_of": "2026-11-25"},
    {"sex": "male", "age": 40},
    {},
]


def run(seconds: float = 2.0) -> dict[str, float]:
    for profile in PROFILES:  # warm caches (protocol and explanations are loaded once)
        screen(profile)
    samples = []
    count = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        for profile in PROFILES:
            screen(profile)
        samples.append((time.perf_counter() - start) / len(PROFILES))
        count += len(PROFILES)
    mean = statistics.fmean(samples)
    return {
        "evaluations": count,
        "per_second": 1 / mean,
        "mean_ms": mean * 1000,
        "p95_ms": statistics.quantiles(samples, n=20)[18] * 1000,
        "goal_per_second": GOAL_PER_SECOND,
    }


def main() -> int:
    result = run()
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "eligibility.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'metric':<22}{'value':>12}")
    for key in ("evaluations", "per_second", "mean_ms", "p95_ms", "goal_per_second"):
        print(f"{key:<22}{result[key]:>12.3f}")
    verdict = "meets" if result["per_second"] >= GOAL_PER_SECOND else "MISSES"
    print(f"eligibility: {result['per_second']:.0f} evaluations/s, {verdict} the goal of {GOAL_PER_SECOND}/s")
    return 0 if result["per_second"] >= GOAL_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
