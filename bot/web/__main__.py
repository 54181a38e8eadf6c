"""``python -m bot.web``: serve the participants' chat page (WEB_HOST:WEB_PORT, default 127.0.0.1:8000)."""

from __future__ import annotations

import logging
import sys

from bot.web.settings import ConfigError, WebSettings


def main() -> int:
    try:
        settings = WebSettings.from_env()
    except ConfigError as exc:
        print(f"bot.web: {exc}", file=sys.stderr)
        return 2
    from bot.web.app import create_app  # imports sanic only once the settings are good

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, workers=1, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
