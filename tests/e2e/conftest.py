"""One set of real servers for all end-to-end tests (starting Rasa takes ~15 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import Servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with Servers(workdir=Path(tmp_path_factory.mktemp("servers"))).running() as running:
        yield running
