"""The stock ``rasa init`` assistant (moodbot): the baseline our per-turn latency is compared with.

``rasa init --no-prompt`` creates and trains it (about a minute); the trained project is cached in
``bench/.cache/stock-rasa-<version>/`` so later runs start it at once. It runs unchanged except
for its channels: only the REST channel (its credentials.yml also lists Rasa X's "rasa" channel,
which would point at a server that is not there).

``python -m bench.stock`` only builds the cache.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from bench.servers import HOST, STOCK_PORT, VENV_BIN, Launch, Processes, ServerError, base_env, managed, require_free

CACHE = Path(__file__).resolve().parent / ".cache"
INIT_TIMEOUT_S = 900.0
CREDENTIALS = "credentials.bench.yml"
#: The moodbot's own conversations (its stories: happy path, sad paths 1 and 2), typed as a person would.
CONVERSATIONS: tuple[tuple[str, ...], ...] = (
    ("hello", "I am sad", "yes"),
    ("hi", "my day was horrible", "no"),
    ("hey there", "great"),
    ("good morning", "I am feeling very good"),
    ("hey", "I am very unhappy", "yes, it did"),
)


def project_dir() -> Path:
    return CACHE / f"stock-rasa-{version('rasa')}"


def _model(project: Path) -> Path | None:
    models = sorted((project / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def ensure_project(processes: Processes) -> Path:
    """The cached, trained stock project; created with ``rasa init --no-prompt`` when missing."""
    project = project_dir()
    if _model(project) and (project / CREDENTIALS).is_file():
        return project
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="stock-", dir=CACHE))
    try:
        init_dir = work / "project"
        init_dir.mkdir()
        print(f"stock: `rasa init --no-prompt` (trains the moodbot, about a minute) in {init_dir}", flush=True)
        init = processes.start(
            "rasa init",
            [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(init_dir)],
            cwd=init_dir,
            env=base_env(),
            log=work / "init.log",
        )
        try:
            code = init.popen.wait(timeout=INIT_TIMEOUT_S)
        except Exception as exc:
            raise ServerError(f"rasa init did not finish in {INIT_TIMEOUT_S:.0f}s") from exc
        if code != 0 or _model(init_dir) is None:
            raise ServerError(f"rasa init failed ({code}):\n{init.tail()}")
        (init_dir / CREDENTIALS).write_text("rest:\n", encoding="utf-8")
        shutil.rmtree(project, ignore_errors=True)
        init_dir.rename(project)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return project


def launch(processes: Processes, log_dir: Path) -> Launch:
    """Start the cached stock assistant with ``rasa run --enable-api`` on loopback."""
    project = ensure_project(processes)
    model = _model(project)
    assert model is not None
    require_free(STOCK_PORT)
    stock = processes.start(
        "stock assistant (rasa)",
        [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(model),
            "--interface",
            HOST,
            "--port",
            str(STOCK_PORT),
            "--enable-api",
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            CREDENTIALS,
        ],
        cwd=project,
        env=base_env(),
        log=log_dir / "stock.log",
    )
    url = f"http://{HOST}:{STOCK_PORT}"
    return Launch(url, [(stock, f"{url}/status", "model_id")])


def main() -> int:
    with managed() as processes:
        project = ensure_project(processes)
    print(f"stock assistant: {_model(project)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
