"""Start and stop the servers a benchmark talks to: loopback only, bounded waits, always cleaned up.

Every process is started in its own session (process group) and stopped by that group's id, so
the children it may spawn go with it, also when the benchmark fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
#: Ports away from the defaults (5005/5055) so a running assistant is never disturbed.
RASA_PORT = int(os.environ.get("BENCH_RASA_PORT", "5205"))
ACTIONS_PORT = int(os.environ.get("BENCH_ACTIONS_PORT", "5255"))
STOCK_PORT = int(os.environ.get("BENCH_STOCK_PORT", "5305"))
START_TIMEOUT_S = 240.0
STOP_TIMEOUT_S = 15.0


class ServerError(RuntimeError):
    """A server could not be started (port taken, crashed, or not ready in time)."""


def base_env(**extra: str) -> dict[str, str]:
    """The parent environment, without telemetry, with the project importable and ``extra`` on top."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class Processes:
    """The processes one benchmark started; ``stop_all`` ends each by its own process-group id."""

    def __init__(self) -> None:
        self.started: list[Process] = []

    def start(self, name: str, cmd: list[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> Process:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            popen = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=dict(env),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.started.append(process)
        return process

    def wait_ready(
        self, process: Process, url: str, *, ready: str | None = None, timeout: float = START_TIMEOUT_S
    ) -> None:
        """Poll ``url`` until it answers 200 (and its body contains ``ready``), at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise ServerError(f"{process.name} exited with {process.popen.returncode}:\n{process.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    body = response.read().decode("utf-8", errors="replace")
                if response.status == 200 and (ready is None or ready in body):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.5)
        raise ServerError(f"{process.name} was not ready after {timeout:.0f}s ({url}):\n{process.tail()}")

    def stop_all(self) -> None:
        for process in reversed(self.started):
            _stop(process.popen)
        self.started.clear()


def _stop(popen: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process's group, SIGKILL it after STOP_TIMEOUT_S, then kill whatever is left in the group."""
    pgid = popen.pid  # start_new_session: the group id is the child's own pid
    if popen.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            popen.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            popen.wait(timeout=STOP_TIMEOUT_S)
    with contextlib.suppress(ProcessLookupError, PermissionError):  # children left behind in the group
        os.killpg(pgid, signal.SIGKILL)


@contextlib.contextmanager
def managed() -> Iterator[Processes]:
    """Processes that are stopped on exit, on errors and on SIGTERM/SIGINT/SIGHUP."""
    processes = Processes()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield processes
    finally:
        processes.stop_all()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def require_free(*ports: int) -> None:
    taken = [port for port in ports if not port_free(port)]
    if taken:
        hint = "set BENCH_RASA_PORT, BENCH_ACTIONS_PORT or BENCH_STOCK_PORT"
        raise ServerError(f"port(s) {taken} on {HOST} are in use; {hint}")


@dataclass
class Launch:
    """A server that was started; ``wait`` blocks until every part of it answers."""

    url: str
    checks: list[tuple[Process, str, str | None]]

    def wait(self, processes: Processes) -> str:
        for process, url, ready in self.checks:
            processes.wait_ready(process, url, ready=ready)
        return self.url


def launch_assistant(processes: Processes, var_dir: Path) -> Launch:
    """Our action server and Rasa (REST + HTTP API) on loopback, with every state file under ``var_dir``."""
    model = ROOT / "models" / "assistant.tar.gz"
    if not model.is_file():
        raise ServerError(f"{model} is missing: run `make train` first")
    require_free(RASA_PORT, ACTIONS_PORT)
    env = base_env(
        ACTION_SERVER_URL=f"http://{HOST}:{ACTIONS_PORT}/webhook",
        TRACKER_URL=f"sqlite:///{var_dir / 'tracker.db'}",
        DATABASE_URL=f"sqlite:///{var_dir / 'bot.db'}",
        BOT_VAR_DIR=str(var_dir),
        LOCK_STORE_TYPE="in_memory",
        LOCK_STORE_HOST=HOST,
        LOCK_STORE_PORT="6379",
        LOCK_STORE_DB="1",
        SQL_POOL_SIZE="5",
        SQL_MAX_OVERFLOW="5",
    )
    actions = processes.start(
        "action server",
        [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(ACTIONS_PORT)],
        cwd=ROOT,
        env={**env, "SANIC_HOST": HOST},
        log=var_dir / "actions.log",
    )
    rasa = processes.start(
        "assistant (rasa)",
        [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(model),
            "--interface",
            HOST,
            "--port",
            str(RASA_PORT),
            "--enable-api",
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
        ],
        cwd=ROOT,
        env=env,
        log=var_dir / "rasa.log",
    )
    url = f"http://{HOST}:{RASA_PORT}"
    return Launch(url, [(actions, f"http://{HOST}:{ACTIONS_PORT}/health", None), (rasa, f"{url}/status", "model_id")])
