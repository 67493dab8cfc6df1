"""Storage settings, the key in the keyring, and "Test connection" on the simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.b2_simulated import (
    SIM_APP_KEY,
    SIM_BUCKET,
    SIM_KEY_ID,
    SIM_REALM,
    ReadySimulator,
)
from tests.support.keyring_memory import MemoryKeyring, memory_keyring

from coursedesk.services.upload import account
from coursedesk.services.upload.account import StorageSettings, Verdict
from coursedesk.services.upload.errors import NoAccount


@pytest.fixture
def keyring_backend() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


def settings(**changes: str) -> StorageSettings:
    values = {"key_id": SIM_KEY_ID, "bucket": SIM_BUCKET, "realm": SIM_REALM, **changes}
    return StorageSettings(**values)


def test_key_is_kept_in_the_keyring_under_the_key_id(keyring_backend: MemoryKeyring) -> None:
    account.store_application_key("kid", "secret")
    assert keyring_backend.passwords == {("CourseDesk B2", "kid"): "secret"}
    creds = account.credentials_for(StorageSettings("kid", "bucket"))
    assert creds.app_key == "secret"
    account.forget_application_key("kid")
    assert keyring_backend.passwords == {}


def test_settings_never_hold_the_key(keyring_backend: MemoryKeyring) -> None:
    account.store_application_key("kid", "secret")
    stored = StorageSettings("kid", "bucket", "school/").to_dict()
    assert "secret" not in repr(stored)
    assert StorageSettings.from_dict(stored) == StorageSettings("kid", "bucket", "school/")


def test_missing_key_says_to_enter_it(keyring_backend: MemoryKeyring) -> None:
    with pytest.raises(NoAccount, match="not saved on this computer"):
        account.credentials_for(StorageSettings("kid", "bucket"))


def test_locked_keyring_is_reported_without_the_key(keyring_backend: MemoryKeyring) -> None:
    keyring_backend.broken = True
    with pytest.raises(NoAccount, match="credential store") as caught:
        account.store_application_key("kid", "secret")
    assert "secret" not in str(caught.value)


def test_connection_ok() -> None:
    check = account.test_connection(settings(), SIM_APP_KEY, raw_api_class=ReadySimulator)
    assert check.ok, check.message


def test_connection_with_wrong_key_says_bad_key() -> None:
    check = account.test_connection(settings(), "wrong", raw_api_class=ReadySimulator)
    assert check.verdict is Verdict.BAD_KEY
    assert "wrong" not in check.message


def test_connection_with_unknown_bucket_says_no_such_bucket() -> None:
    check = account.test_connection(
        settings(bucket="missing"), SIM_APP_KEY, raw_api_class=ReadySimulator
    )
    assert check.verdict is Verdict.NO_SUCH_BUCKET
    assert "missing" in check.message


def test_connection_with_incomplete_settings_says_what_to_fill_in() -> None:
    check = account.test_connection(settings(bucket=""), SIM_APP_KEY)
    assert check.verdict is Verdict.INCOMPLETE
    assert "bucket" in check.message


def test_connection_offline_says_offline() -> None:
    # Nothing listens on port 9 of this machine: connection refused, as when offline.
    check = account.test_connection(settings(realm="http://127.0.0.1:9"), SIM_APP_KEY)
    assert check.verdict is Verdict.OFFLINE, check.message
