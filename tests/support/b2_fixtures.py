"""pytest fixtures for the loopback B2 emulator.

Load them with ``pytest_plugins = ["tests.support.b2_fixtures"]`` in the root conftest.

- ``b2_emulator_server`` (session): one emulator process per test session (per xdist worker).
- ``b2_emulator``: that emulator reset for the test: the configured account and buckets,
  no files, no faults, zeroed counters, every earlier token unknown.
- ``b2_api``: a ``b2sdk.v2.B2Api`` authorized on it with the master key.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from b2sdk.v2 import B2Api
from tests.support.b2_emulator import B2Emulator
from tests.support.b2_emulator.sdk import authorized_api


@pytest.fixture(scope="session")
def b2_emulator_server() -> Iterator[B2Emulator]:
    with B2Emulator() as emulator:
        yield emulator


@pytest.fixture
def b2_emulator(b2_emulator_server: B2Emulator) -> B2Emulator:
    b2_emulator_server.reset()
    return b2_emulator_server


@pytest.fixture
def b2_api(b2_emulator: B2Emulator) -> Iterator[B2Api]:
    with authorized_api(b2_emulator) as api:
        yield api
