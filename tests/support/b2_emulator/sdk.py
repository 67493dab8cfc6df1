"""b2sdk clients pointed at an emulator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from b2sdk.v2 import B2Api, InMemoryAccountInfo

from .client import B2Emulator
from .config import KeySpec


@contextmanager
def authorized_api(
    emulator: B2Emulator, key: KeySpec | None = None, **api_options: Any
) -> Iterator[B2Api]:
    """A ``b2sdk.v2.B2Api`` authorized with ``key`` (the master key by default);
    ``api_options`` go to ``B2Api`` (``max_upload_workers=1`` ...).

    Its HTTP connections are closed afterwards: left to the garbage collector they raise
    ResourceWarnings, which this project's pytest settings turn into errors.
    """
    key = key or emulator.master_key
    api = B2Api(InMemoryAccountInfo(), **api_options)
    try:
        # Keywords: b2sdk.v2 takes the realm first, b2sdk.v3 last.
        api.authorize_account(
            realm=emulator.realm_url, application_key_id=key.key_id, application_key=key.app_key
        )
        yield api
    finally:
        close_api(api)


def close_api(api: B2Api) -> None:
    api.session.raw_api.b2_http.session.close()
