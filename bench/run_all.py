"""`make bench`: screening-turn latency beside the stock assistant, and questions per screening.

Starts our assistant (action server + Rasa, state in a temporary directory) and the stock
``rasa init`` assistant on loopback ports (5205/5255/5305 unless BENCH_*_PORT say otherwise),
measures both in the same run, stops them, prints one table and writes
``bench/results/latency.json`` and ``bench/results/questions.json``. Our assistant is screened in
English ("ours") and in Chinese ("ours-zh": the language stated in the first message's metadata,
the same profiles answering in Chinese, every reply checked to be in Chinese).

Goals: p95 per turn at most 1.2x the stock assistant's at the same concurrency, in each language;
no question asked whose answer can no longer change the result. Exit code 0 when all are met, 1
when one is missed, 2 when the benchmark could not run.
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
MODEL = servers.ROOT / "models" / "assistant.tar.gz"
#: Written by whoever trains the model (training time and the like); copied into the environment block.
TRAINING = RESULTS / "training.json"
#: The languages our assistant is screened in ("en" first: the English rows and results keep their names).
LANGUAGES = ("en", "zh")
#: Clear answers (the profiles type units and signs) should need no more than this many confirmations each.
MAX_CONFIRMATIONS = 1


def log(message: str) -> None:
    print(message, flush=True)


async def _top_up(base: str, missing: list[Profile], language: str = "en") -> list[chat.Screening]:
    """Screen, untimed and checked against the tracker, the profiles the c=1 phases did not complete."""
    out = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=chat.TURN_TIMEOUT_S)) as session:
        for profile in missing:
            sender = f"bench-q-{uuid.uuid4().hex[:12]}"
            out.append(await chat.screening(session, base, sender, profile, verify=True, language=language))
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


#: Column widths: the metric, one value column per target, one ratio column per "ours*" target, goal, verdict.
W_LABEL, W_VALUE, W_RATIO, W_GOAL, W_VERDICT = 34, 10, 10, 10, 10


def _row(label: str, values: list[str], ratios: list[str], goal: str = "", verdict: str = "") -> str:
    cells = "".join(f"{v:>{W_VALUE}}" for v in values) + "".join(f"{r:>{W_RATIO}}" for r in ratios)
    return f"{label:<{W_LABEL}}{cells}{goal:>{W_GOAL}}{verdict:>{W_VERDICT}}".rstrip()


def _verdicts(flags: list[bool], miss: str = "MISS") -> str:
    """One verdict per language, "ok/MISS" (English first)."""
    return "/".join("ok" if flag else miss for flag in flags)


def _rest_cells(names: list[str], rest: dict[str, dict[str, Any]], key: str, spec: str) -> list[str]:
    """A REST figure of each language in its own target's column (blank under stock)."""
    by_target = {latency.ours_name(language): r for language, r in rest.items()}
    return [_fmt(by_target[n][key], spec) if n in by_target else "" for n in names]


def print_table(lat: dict[str, Any], pure: dict[str, Any], rest: dict[str, dict[str, Any]]) -> None:
    """Our assistant in each language beside the stock one; ``rest`` is the REST questions per language."""
    ours = list(lat["goal_met"])
    names = [*ours, "stock"]
    no_ratios = [""] * len(ours)
    line = "-" * (W_LABEL + W_VALUE * len(names) + W_RATIO * len(ours) + W_GOAL + W_VERDICT)
    log(line)
    log(_row("metric", names, ["ratio" + name.removeprefix("ours") for name in ours], "goal"))
    log(line)
    for c in latency.CONCURRENCIES:
        key = f"c{c}"
        stock = lat["stock"][key]
        for metric in ("p50_ms", "p95_ms"):
            values = [f"{lat[n][key][metric]:.1f}" for n in names]
            ratios = [f"{lat[n][key][metric] / stock[metric]:.2f}" for n in ours]
            goal, verdict = "", ""
            if metric == "p95_ms":
                goal = f"<= {latency.GOAL_RATIO}x"
                verdict = _verdicts([lat["goal_met"][n][key] for n in ours])
            log(_row(f"turn {metric[:3]} ms, concurrency {c}", values, ratios, goal, verdict))
        counts = [f"{lat[n][key]['turns']} ({lat[n][key]['errors']})" for n in names]
        log(_row(f"turns (errors), concurrency {c}", counts, no_ratios))
        if c > 1:  # at c=1 our wall time includes the untimed tracker checks
            log(_row(f"turns/s, concurrency {c}", [_fmt(lat[n][key]["turns_per_second"]) for n in names], no_ratios))
    log(line)
    needless = sum(len(v) for v in pure["needless_questions"].values())
    planner = [f"{pure['mean_questions']:.2f}", *[""] * (len(names) - 1)]
    log(_row("questions/screening (planner)", planner, no_ratios, "0 needless", _verdicts([pure["goal_met"]])))
    log(_row("  needless questions asked", [str(needless)], []))
    same = _verdicts([not r["differs_from_planner"] for r in rest.values()], "DIFF")
    log(
        _row(
            "questions/screening (REST, c=1)",
            _rest_cells(names, rest, "mean_questions", ".2f"),
            no_ratios,
            "= planner",
            same,
        )
    )
    confirmed = _verdicts([(r["max_confirmations"] or 0) <= MAX_CONFIRMATIONS for r in rest.values()])
    log(
        _row(
            "confirmations/screening (REST)",
            _rest_cells(names, rest, "mean_confirmations", ".2f"),
            no_ratios,
            f"<= {MAX_CONFIRMATIONS} each",
            confirmed,
        )
    )
    log(line)
    _print_profiles(pure, rest)
    log(line)


def _print_profiles(pure: dict[str, Any], rest: dict[str, dict[str, Any]]) -> None:
    """Questions and status per profile: the planner's, then over REST in each language."""
    languages = list(rest)
    rows = {language: {r["profile"]: r for r in rest[language]["per_profile"]} for language in languages}
    counts = "".join(f"{'REST' if lang == 'en' else lang:>6}" for lang in languages)
    status_header = " / ".join(["planner", *("REST" if lang == "en" else lang for lang in languages)])
    log(f"{'profile':<22}{'planner':>8}{counts}  {f'status ({status_header})':<44}asked again over REST")
    for row in pure["per_profile"]:
        found = [rows[lang].get(row["profile"], {}) for lang in languages]
        counts = "".join(f"{_fmt(r.get('questions'), 'd'):>6}" for r in found)
        status = " / ".join([row["status"], *(r.get("status", "not completed") for r in found)])
        again = "; ".join(
            f"{'' if lang == 'en' else lang + ': '}{', '.join(r['asked_again'])}"
            for lang, r in zip(languages, found, strict=True)
            if r.get("asked_again")
        )
        log(f"{row['profile']:<22}{row['questions']:>8}{counts}  {status:<44}{again or '-'}")


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
    sources = [servers.ROOT / "config.yml", servers.ROOT / "domain.yml", *(servers.ROOT / "data").rglob("*.yml")]
    return MODEL.is_file() and any(src.stat().st_mtime > MODEL.stat().st_mtime for src in sources if src.is_file())


def _model_bytes() -> int | None:
    return MODEL.stat().st_size if MODEL.is_file() else None


def _training() -> Any:
    """What the trainer wrote into bench/results/training.json (None when there is no such file)."""
    if not TRAINING.is_file():
        return None
    try:
        return json.loads(TRAINING.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"unreadable": f"{type(exc).__name__}: {exc}"}


def environment(load_at_start: tuple[float, float, float], stale_at_start: bool) -> dict[str, Any]:
    env: dict[str, Any] = {
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "model_older_than_training_data_at_start": stale_at_start,
        "model_bytes": _model_bytes(),
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
        "ours-zh": "the same assistant; the first message states language zh in its metadata, answers in Chinese",
        "stock": "`rasa init` moodbot, in-memory tracker store, REST channel only",
    }
    training = _training()
    if training is not None:
        env["training"] = training
    return env


def _rest_in(
    language: str,
    base: str,
    people: list[Profile],
    phases: list[latency.Phase],
    simulations: list[questions.Simulation],
) -> dict[str, Any]:
    """Questions per screening over REST in ``language``: its c=1 screenings, topped up with the profiles
    they did not complete."""
    name = latency.ours_name(language)
    c1 = [s for p in phases if p.target == name and p.concurrency == 1 for s in p.screenings]
    covered = {s.profile for s in c1 if s.completed}
    missing = [p for p in people if p.name not in covered]
    if missing:
        log(f"screening {len(missing)} profile(s) the {name} c=1 phases did not complete (untimed) ...")
        c1 += asyncio.run(_top_up(base, missing, language))
    return rest_questions(c1, simulations)


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
            targets = [latency.stock_target(stock_url), *(latency.ours(ours_url, people, lang) for lang in LANGUAGES)]
            lat, phases = asyncio.run(latency.measure(targets, log))
            rest = {lang: _rest_in(lang, ours_url, people, phases, simulations) for lang in LANGUAGES}
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
    by_language = {("rest" if lang == "en" else f"rest_{lang}"): r for lang, r in rest.items()}
    write("questions.json", {"environment": env, "planner": pure, **by_language})
    print_table(lat, pure, rest)
    log(f"results: {RESULTS / 'latency.json'}, {RESULTS / 'questions.json'}")
    goals = [
        *(met for per_concurrency in lat["goal_met"].values() for met in per_concurrency.values()),
        pure["goal_met"],
        *(not r["differs_from_planner"] for r in rest.values()),
        *((r["max_confirmations"] or 0) <= MAX_CONFIRMATIONS for r in rest.values()),
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
