"""Per-turn latency over REST: our screening turns beside the stock ``rasa init`` assistant's turns.

A phase runs ``concurrency`` simulated people at once, each starting a new conversation when
the last one ends, until the phase's turn budget or time cap is reached (a turn is only started
while the budget lasts; turns in flight finish). Our conversations are screenings driven by the
profiles ("/start_screening", consent, then answers); the stock ones are the moodbot's own
stories. Each (assistant, concurrency) is measured in two halves in ABBA order, so drift of the
machine hits both alike; warm-up turns are not counted.

At concurrency 1 our conversations also read the tracker after every turn (untimed; see bench.chat),
so the wall time, and turns/s, of those phases include it. Our assistant is measured once per
language ("ours": English, "ours-zh": the same profiles screened in Chinese); each is compared with
the stock assistant. ``python -m bench.latency`` runs ``bench.run_all``, which starts and stops the servers.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench import chat, stock
from bench.profiles import Profile

GOAL_RATIO = 1.2
CONCURRENCIES = (1, 16)
#: Turns measured per assistant and concurrency (split in two halves), and the time cap of each half.
TURNS = {1: int(os.environ.get("BENCH_TURNS_C1", "400")), 16: int(os.environ.get("BENCH_TURNS_C16", "640"))}
HALF_CAP_S = {1: 45.0, 16: 45.0}
WARMUP_TURNS = {1: 10, 16: 64}

#: (session, sender id, conversation number, concurrency, stop) -> the conversation's record.
Conversation = Callable[[aiohttp.ClientSession, str, int, int, Callable[[], bool]], Awaitable[chat.Screening]]


@dataclass
class Target:
    """One assistant under test and how to hold a conversation with it."""

    name: str
    base: str
    conversation: Conversation
    counter: itertools.count[int] = field(default_factory=itertools.count)


def ours_name(language: str) -> str:
    """The target's name: "ours" for English, "ours-<language>" for another language."""
    return "ours" if language == "en" else f"ours-{language}"


def ours(base: str, people: list[Profile], language: str = "en") -> Target:
    """Our assistant, screenings in ``language``; at concurrency 1 the tracker is also checked after every
    turn (untimed, nothing overlaps)."""

    async def talk(
        session: aiohttp.ClientSession, sender: str, i: int, concurrency: int, stop: Callable[[], bool]
    ) -> chat.Screening:
        profile = people[i % len(people)]
        return await chat.screening(
            session, base, sender, profile, verify=concurrency == 1, stop=stop, language=language
        )

    return Target(ours_name(language), base, talk)


def stock_target(base: str) -> Target:
    """The moodbot, talked to with its own stories."""

    async def talk(
        session: aiohttp.ClientSession, sender: str, i: int, concurrency: int, stop: Callable[[], bool]
    ) -> chat.Screening:
        script = stock.CONVERSATIONS[i % len(stock.CONVERSATIONS)]
        result = chat.Screening(f"moodbot-{i % len(stock.CONVERSATIONS)}", sender)
        for text in script:
            if stop():
                return result
            try:
                seconds, messages = await chat.turn(session, base, sender, text)
            except chat.TurnError as exc:
                result.error = str(exc)
                return result
            result.latencies.append(seconds)
            if not messages:
                result.error = f"no reply to {text!r}"
                return result
        result.status = "done"
        return result

    return Target("stock", base, talk)


@dataclass
class Phase:
    target: str
    concurrency: int
    screenings: list[chat.Screening]
    seconds: float

    @property
    def latencies(self) -> list[float]:
        return [t for s in self.screenings for t in s.latencies]


async def run_phase(target: Target, concurrency: int, max_turns: int, cap_s: float) -> Phase:
    """``concurrency`` people talking until ``max_turns`` turns were started or ``cap_s`` passed."""
    started = 0
    deadline = time.monotonic() + cap_s

    def stop() -> bool:
        nonlocal started
        if started >= max_turns or time.monotonic() >= deadline:
            return True
        started += 1
        return False

    screenings: list[chat.Screening] = []
    timeout = aiohttp.ClientTimeout(total=chat.TURN_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=concurrency + 4)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def person() -> None:
            while not (started >= max_turns or time.monotonic() >= deadline):
                i = next(target.counter)
                sender = f"bench-{target.name}-{uuid.uuid4().hex[:12]}"
                record = await target.conversation(session, sender, i, concurrency, stop)
                if record.latencies:
                    screenings.append(record)

        start = time.perf_counter()
        await asyncio.gather(*(person() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    return Phase(target.name, concurrency, screenings, seconds)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def stats(phases: list[Phase]) -> dict[str, Any]:
    latencies = [t for p in phases for t in p.latencies]
    screenings = [s for p in phases for s in p.screenings]
    errors = [s.error for s in screenings if s.error]
    seconds = sum(p.seconds for p in phases)
    ms = [t * 1000 for t in latencies] or [float("nan")]
    return {
        "turns": len(latencies),
        "conversations": len(screenings),
        "completed": sum(1 for s in screenings if s.completed),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "seconds": round(seconds, 2),
        "turns_per_second": round(len(latencies) / seconds, 2) if seconds else None,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "max_ms": round(max(ms), 1),
        "p50_ms_by_turn_number": _by_turn_number(screenings),
    }


def _by_turn_number(screenings: list[chat.Screening]) -> dict[str, float]:
    """Median latency of the 1st-2nd, 3rd-10th, 11th-20th and later turns of a conversation."""
    buckets: dict[str, list[float]] = {"1-2": [], "3-10": [], "11-20": [], "21+": []}
    for s in screenings:
        for i, t in enumerate(s.latencies, start=1):
            key = "1-2" if i <= 2 else "3-10" if i <= 10 else "11-20" if i <= 20 else "21+"
            buckets[key].append(t * 1000)
    return {k: round(statistics.median(v), 1) for k, v in buckets.items() if v}


async def measure(targets: list[Target], log: Callable[[str], None] = print) -> tuple[dict[str, Any], list[Phase]]:
    """Warm up every target, then measure each at every concurrency in ABBA order; returns (results, phases)."""
    for target in targets:
        for c in CONCURRENCIES:
            await run_phase(target, c, WARMUP_TURNS[c], 30.0)
    phases: list[Phase] = []
    for c in CONCURRENCIES:
        for half, order in enumerate((targets, targets[::-1])):
            for target in order:
                phase = await run_phase(target, c, TURNS[c] // 2, HALF_CAP_S[c])
                phases.append(phase)
                s = stats([phase])
                log(
                    f"  {target.name:<8} c={c:<3} half {half + 1}: {s['turns']} turns in {s['seconds']}s, "
                    f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, errors {s['errors']}"
                )
    results: dict[str, Any] = {"goal_ratio": GOAL_RATIO}
    for target in targets:
        results[target.name] = {
            f"c{c}": stats([p for p in phases if p.target == target.name and p.concurrency == c]) for c in CONCURRENCIES
        }
    results.update(compare(results))
    return results, phases


def compare(results: dict[str, Any]) -> dict[str, Any]:
    """p95 ratio to the stock assistant, and whether the goal is met (ratio and no errors), per "ours*"
    target and concurrency: ``{"ratio_p95": {"ours": {"c1": ...}, ...}, "goal_met": {...}}`` (empty
    without the stock assistant)."""
    names = [name for name in results if name.startswith("ours")]
    if "stock" not in results or not names:
        return {}
    ratios: dict[str, dict[str, float]] = {}
    goals: dict[str, dict[str, bool]] = {}
    for name in names:
        ratios[name], goals[name] = {}, {}
        for c in CONCURRENCIES:
            key = f"c{c}"
            ratio = results[name][key]["p95_ms"] / results["stock"][key]["p95_ms"]
            ratios[name][key] = round(ratio, 2)
            goals[name][key] = ratio <= GOAL_RATIO and results[name][key]["errors"] == 0
    return {"ratio_p95": ratios, "goal_met": goals}


def main() -> int:
    """Latency needs both assistants running: the same as ``python -m bench.run_all``."""
    from bench.run_all import main as run_all

    return run_all()


if __name__ == "__main__":
    raise SystemExit(main())
