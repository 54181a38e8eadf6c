"""``python -m bot.notify``: run the outbox worker until stopped (exit 2 on bad settings)."""

from __future__ import annotations

import logging
import sys

from bot.notify.config import NotifyConfigError, NotifySettings


def main() -> int:
    try:
        settings = NotifySettings.from_env()
    except NotifyConfigError as exc:
        print(f"bot.notify: {exc}", file=sys.stderr)
        return 2
    from bot.notify.worker import run_forever
    from bot.store import prepare
    from bot.store.db import Database

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    database = Database()
    prepare(database)
    try:
        run_forever(database, settings)
    except KeyboardInterrupt:
        pass
    finally:
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
