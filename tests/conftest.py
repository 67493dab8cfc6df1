"""Test configuration shared by the whole suite."""

from __future__ import annotations

import os

# Qt must never try to open a real display in tests; this has to happen before Qt loads.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Nothing a test runs may write into the user's real log folder.
if "COURSEDESK_LOG_DIR" not in os.environ:
    import tempfile

    os.environ["COURSEDESK_LOG_DIR"] = tempfile.mkdtemp(prefix="coursedesk-test-logs-")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from collections.abc import Iterator
from pathlib import Path

import pytest

from coursedesk.persistence.library import Library

pytest_plugins = ["tests.support.b2_fixtures"]


@pytest.fixture(autouse=True)
def _no_real_keyring() -> Iterator[None]:
    """No test ever reads or writes the machine's real credential store."""
    from tests.support.keyring_memory import memory_keyring

    with memory_keyring():
        yield


@pytest.fixture(autouse=True)
def _private_config_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads or writes the user's real preferences (config.json), and none sees
    another's: each gets an empty config folder of its own."""
    folder = tmp_path_factory.mktemp("config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSEDESK_CONFIG_DIR", str(folder))
        yield


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "library.sqlite3"


@pytest.fixture
def library(library_path: Path) -> Iterator[Library]:
    """A fresh, empty library on disk, closed after the test."""
    opened = Library.open(library_path)
    yield opened
    opened.close()
