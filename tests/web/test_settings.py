"""The web app's settings; bad configuration stops it with exit code 2 and a message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.web.settings import ConfigError, WebSettings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_a_secret_file_created_once(tmp_path: Path) -> None:
    env = {"WEB_SECRET_FILE": str(tmp_path / "secret"), "DATABASE_URL": "sqlite:///x.db"}
    first = WebSettings.from_env(env)
    assert first.port == 8000 and first.rasa_url == "http://127.0.0.1:5005" and not first.cookie_secure
    assert (tmp_path / "secret").stat().st_mode & 0o777 == 0o600
    assert WebSettings.from_env(env).secret == first.secret  # kept across restarts: cookies stay valid


@pytest.mark.parametrize(
    "env",
    [
        {"WEB_PORT": "eighty"},
        {"WEB_PORT": "70000"},
        {"RASA_URL": "ftp://example"},
        {"WEB_SECRET": "short"},
        {"WEB_COOKIE_SECURE": "maybe"},
        {"WEB_TURN_TIMEOUT": "-1"},
    ],
)
def test_bad_settings_are_refused(env: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        WebSettings.from_env({"WEB_SECRET_FILE": str(tmp_path / "secret"), **env})


def test_python_m_bot_web_exits_2_on_bad_config() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.web"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WEB_PORT": "not-a-port", "WEB_SECRET": "x" * 40},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "WEB_PORT" in result.stderr and not result.stdout
