"""Start the real web app (``python -m bot.web``) on a free port, pointed at a Rasa server."""

from __future__ import annotations

import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.servers import ROOT, VENV_BIN, free_port, wait_until


@dataclass
class WebApp:
    workdir: Path
    #: The environment of the servers it fronts (DATABASE_URL, TRACKER_URL, ...).
    env: dict[str, str]
    rasa_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(
            self.env,
            WEB_HOST="127.0.0.1",
            WEB_PORT=str(self.port),
            RASA_URL=self.rasa_url,
            WEB_SECRET_FILE=str(self.workdir / "web-secret"),
            WEB_TURN_TIMEOUT="60",
        )
        log = open(self.workdir / f"web-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "bot.web"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        wait_until(lambda: urllib.request.urlopen(f"{self.url}/healthz", timeout=2).status == 200, "web app", 60)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
