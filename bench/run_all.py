"""`make bench`: screening-turn latency beside the stock assistant, and questions per screening.

Starts our assistant (action server + Rasa, state in a temporary directory) and the stock
``rasa init`` assistant on loopback ports (5205/5255/5305 unless BENCH_*_PORT say otherwise),
measures both in the same run, stops them, prints one table and writes
``bench/results/latency.json`` and ``bench/results/questions.json``.

Goals: p95 per turn at most 1.2x the stock assistant's at the same concurrency; no question asked
whose answer can no longer change the result. Exit code 0 when both are met, 1 when one is
missed, 2 when the benchmark could not run.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp

from bench import chat, latency, questions, servers, stock
from bench.profiles import Profile, profiles

RESULTS = Path(__file__).resolve().parent / "results"
#: Clear answers (the profiles type units and signs) should need no more than this many confirmations each.
MAX_CONFIRMATIONS = 1


def log(message: str) -> None:
    print(message, flush=True)


async def _top_up(base: str, missing: list[Profile]) -> list[chat.Screening]:
    """Screen, untimed and checked against the tracker, the profiles the c=1 phases did not complete."""
    out = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=chat.TURN_TIMEOUT_S)) as session:
        for profile in missing:
            out.append(await chat.screening(session, base, f"bench-q-{uuid.uuid4().hex[:12]}", profile, verify=True))
    return out


def rest_questions(screenings: list[chat.Screening], simulations: list[questions.Simulation]) -> dict[str, Any]:
    """Questions per completed screening over REST, compared with the planner's screening of the same profile."""
    first: dict[str, chat.Screening] = {}
    for s in screenings:
        if s.completed and s.profile not in first:
            first[s.profile] = s
    rows = []
    for sim in simulations:
        s = first.get(sim.profile)
        if s is None:
            rows.append({"profile": sim.profile, "completed": False})
            continue
        repeated = sorted(name for name, n in Counter(s.asked).items() if n > 1)
        rows.append(
            {
                "profile": sim.profile,
                "completed": True,
                "questions": len(s.asked),
                "status": s.status,
                "tracker_status": s.tracker_status,
                "reasks": s.reasks,
                "confirmations": s.confirmations,
                "same_as_planner": s.asked == sim.names and s.status == sim.status,
                "asked_again": repeated,
                "not_in_planner": sorted(set(s.asked) - set(sim.names)),
                "planner_asked_not_rest": sorted(set(sim.names) - set(s.asked)),
                "tracker_mismatches": s.mismatches[:3],
                "asked": s.asked,
            }
        )
    done = [r for r in rows if r["completed"]]
    return {
        "profiles_completed": len(done),
        "profiles": len(rows),
        "mean_questions": round(statistics.fmean(r["questions"] for r in done), 2) if done else None,
        "mean_confirmations": round(statistics.fmean(r["confirmations"] for r in done), 2) if done else None,
        "max_confirmations": max((r["confirmations"] for r in done), default=None),
        "differs_from_planner": [r["profile"] for r in done if not r["same_as_planner"]],
        "per_profile": rows,
    }


def _fmt(value: Any, spec: str = ".1f") -> str:
    if value is None:
        return "-"
    return format(value, spec) if isinstance(value, float | int) and not isinstance(value, bool) else str(value)


def print_table(lat: dict[str, Any], pure: dict[str, Any], rest: dict[str, Any]) -> None:
    w = (34, 10, 10, 8, 12, 8)
    line = "-" * sum(w)
    log(line)
    log(f"{'metric':<{w[0]}}{'ours':>{w[1]}}{'stock':>{w[2]}}{'ratio':>{w[3]}}{'goal':>{w[4]}}{'':>{w[5]}}")
    log(line)
    for c in latency.CONCURRENCIES:
        key = f"c{c}"
        o, s = lat["ours"][key], lat["stock"][key]
        for metric in ("p50_ms", "p95_ms"):
            ratio = o[metric] / s[metric]
            goal, verdict = "", ""
            if metric == "p95_ms":
                goal = f"<= {latency.GOAL_RATIO}x"
                verdict = "ok" if lat["goal_met"][key] else "MISS"
            label = f"turn {metric[:3]} ms, concurrency {c}"
            log(
                f"{label:<{w[0]}}{o[metric]:>{w[1]}.1f}{s[metric]:>{w[2]}.1f}{ratio:>{w[3]}.2f}{goal:>{w[4]}}"
                f"{verdict:>{w[5]}}"
            )
        label = f"turns (errors), concurrency {c}"
        counts = [f"{x['turns']} ({x['errors']})" for x in (o, s)]
        log(f"{label:<{w[0]}}{counts[0]:>{w[1]}}{counts[1]:>{w[2]}}")
        if c > 1:  # at c=1 our wall time includes the untimed tracker checks
            label = f"turns/s, concurrency {c}"
            log(f"{label:<{w[0]}}{_fmt(o['turns_per_second']):>{w[1]}}{_fmt(s['turns_per_second']):>{w[2]}}")
    log(line)
    verdict = "ok" if pure["goal_met"] else "MISS"
    needless = sum(len(v) for v in pure["needless_questions"].values())
    log(
        f"{'questions/screening (planner)':<{w[0]}}{pure['mean_questions']:>{w[1]}.2f}{'':>{w[2] + w[3]}}"
        f"{'0 needless':>{w[4]}}{verdict:>{w[5]}}"
    )
    log(f"{'  needless questions asked':<{w[0]}}{needless:>{w[1]}}")
    rest_verdict = "ok" if not rest["differs_from_planner"] else "DIFF"
    log(
        f"{'questions/screening (REST, c=1)':<{w[0]}}{_fmt(rest['mean_questions'], '.2f'):>{w[1]}}"
        f"{'':>{w[2] + w[3]}}{'= planner':>{w[4]}}{rest_verdict:>{w[5]}}"
    )
    confirm_verdict = "ok" if (rest["max_confirmations"] or 0) <= MAX_CONFIRMATIONS else "MISS"
    log(
        f"{'confirmations/screening (REST)':<{w[0]}}{_fmt(rest['mean_confirmations'], '.2f'):>{w[1]}}"
        f"{'':>{w[2] + w[3]}}{f'<= {MAX_CONFIRMATIONS} each':>{w[4]}}{confirm_verdict:>{w[5]}}"
    )
    log(line)
    log(f"{'profile':<22}{'planner':>8}{'REST':>6}  {'status (planner / REST)':<28}asked again over REST")
    rest_rows = {r["profile"]: r for r in rest["per_profile"]}
    for row in pure["per_profile"]:
        r = rest_rows.get(row["profile"], {})
        status = f"{row['status']} / {r.get('status', 'not completed')}"
        again = ", ".join(r.get("asked_again", [])) or "-"
        log(f"{row['profile']:<22}{row['questions']:>8}{_fmt(r.get('questions'), 'd'):>6}  {status:<28}{again}")
    log(line)


def write(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=servers.ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def model_stale() -> bool:
    """True when config, domain or training data changed after the model was trained (``make train`` would train)."""
    model = servers.ROOT / "models" / "assistant.tar.gz"
    sources = [servers.ROOT / "config.yml", servers.ROOT / "domain.yml", *(servers.ROOT / "data").rglob("*.yml")]
    return model.is_file() and any(src.stat().st_mtime > model.stat().st_mtime for src in sources if src.is_file())


def environment(load_at_start: tuple[float, float, float], stale_at_start: bool) -> dict[str, Any]:
    return {
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "model_older_than_training_data_at_start": stale_at_start,
        "date": date.today().isoformat(),
        "rasa": version("rasa"),
        "rasa_sdk": version("rasa-sdk"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": {
            "start": [round(x, 2) for x in load_at_start],
            "end": [round(x, 2) for x in os.getloadavg()],
        },
        "ours": "action server + Rasa, SQLite tracker store, in-memory lock store (as scripts/run)",
        "stock": "`rasa init` moodbot, in-memory tracker store, REST channel only",
    }


def run() -> int:
    load_at_start = os.getloadavg()
    today = date.today()
    people = profiles(today)
    simulations = [questions.simulate(p, today) for p in people]
    pure = questions.summarise(simulations)
    stale = model_stale()
    if stale:
        log("warning: models/assistant.tar.gz is older than the training data; `make train` would retrain it")
    var_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    ok = False
    try:
        with servers.managed() as processes:
            started = time.monotonic()
            log(f"starting our assistant and the stock assistant (state and logs in {var_dir}) ...")
            launches = [servers.launch_assistant(processes, var_dir), stock.launch(processes, var_dir)]
            ours_url, stock_url = (launch.wait(processes) for launch in launches)
            log(f"both ready after {time.monotonic() - started:.0f}s; measuring (warm-up turns are not counted)")
            targets = [latency.stock_target(stock_url), latency.ours(ours_url, people)]
            lat, phases = asyncio.run(latency.measure(targets, log))
            c1 = [s for p in phases if p.target == "ours" and p.concurrency == 1 for s in p.screenings]
            covered = {s.profile for s in c1 if s.completed}
            missing = [p for p in people if p.name not in covered]
            if missing:
                log(f"screening {len(missing)} profile(s) the c=1 phases did not complete (untimed) ...")
                c1 += asyncio.run(_top_up(ours_url, missing))
        rest = rest_questions(c1, simulations)
        ok = True
    except servers.ServerError as exc:
        log(f"bench: {exc}")
        return 2
    finally:
        if ok:
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            log(f"logs kept in {var_dir}")
    env = environment(load_at_start, stale)
    write("latency.json", {"environment": env, **lat})
    write("questions.json", {"environment": env, "planner": pure, "rest": rest})
    print_table(lat, pure, rest)
    log(f"results: {RESULTS / 'latency.json'}, {RESULTS / 'questions.json'}")
    goals = [
        *lat["goal_met"].values(),
        pure["goal_met"],
        not rest["differs_from_planner"],
        (rest["max_confirmations"] or 0) <= MAX_CONFIRMATIONS,
    ]
    return 0 if all(goals) else 1


def main() -> int:
    try:
        return run()
    except KeyboardInterrupt:
        log("bench: interrupted; every server it started was stopped")
        return 130
    except Exception:
        traceback.print_exc()
        log("bench: failed; every server it started was stopped")
        return 2


if __name__ == "__main__":
    sys.exit(main())
