"""Real servers (action server, Rasa, the web app) and a real headless Chromium for the web tests.

Chromium is Debian's (`make test` installs it); Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.servers import ROOT, Servers, free_port
from tests.web.fake_rasa import FakeRasa
from tests.web.webapp import WebApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Where the browser tests save their screenshots: an ignored folder, so `make test` changes no tracked
#: file. `make screenshots` copies them to tests/artifacts/, the pictures the README shows.
ARTIFACTS = Path(os.environ.get("SCREENSHOTS_DIR") or Path(__file__).resolve().parents[2] / "results/screenshots")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def web_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with Servers(workdir=Path(tmp_path_factory.mktemp("web-servers"))).running() as running:
        yield running


@pytest.fixture(scope="session")
def web(web_servers: Servers) -> Iterator[WebApp]:
    app = WebApp(workdir=web_servers.workdir, env=web_servers.env(), rasa_url=web_servers.rasa_url)
    try:
        app.start()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def web_without_rasa(web_servers: Servers) -> Iterator[WebApp]:
    """The web app pointed at a port where no Rasa runs: the 'server unreachable' case."""
    app = WebApp(workdir=web_servers.workdir, env=web_servers.env(), rasa_url=f"http://127.0.0.1:{free_port()}")
    try:
        app.start()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    """A Rasa stand-in keeping the language contract (tests/web/fake_rasa.py): no model, no action server."""
    fake = FakeRasa().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="session")
def web_on_fake_rasa(fake_rasa: FakeRasa, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    """The real web app (its own SQLite files) in front of the stand-in."""
    workdir = Path(tmp_path_factory.mktemp("web-fake-rasa"))
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{workdir / 'bot.db'}",
        TRACKER_URL=f"sqlite:///{workdir / 'tracker.db'}",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    app = WebApp(workdir=workdir, env=env, rasa_url=fake_rasa.url)
    try:
        app.start()
        yield app
    finally:
        app.stop()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium under Playwright's sync API.

    The sync API runs an event loop in the main thread until it is closed, and no other code may
    then call ``asyncio.run``: so a browser lives for one package or module, never the whole session.
    """
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def new_context(browser: object) -> Iterator[object]:
    """A factory of fresh browser profiles (each is one person), closed after the test."""
    contexts = []

    def make(viewport: dict[str, int] | None = None, **options: object) -> object:
        context = browser.new_context(viewport=viewport or DESKTOP, reduced_motion="reduce", **options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
