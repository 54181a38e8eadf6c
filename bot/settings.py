"""Settings from the environment, with embedded defaults so `make run` needs no configuration."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BOT_VAR_DIR") or ROOT / "var")


def database_url() -> str:
    """``$DATABASE_URL`` (e.g. postgresql+psycopg2://user@host/db), else a SQLite file under var/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'bot.db'}"
