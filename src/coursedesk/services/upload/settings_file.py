"""Upload settings saved in the data folder (``storage.json``): the storage account without
its key, and the bandwidth limit.

The application key is never written here: it lives in the keyring (see ``account``). No
file means no account: CourseDesk works offline and uploads wait.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coursedesk.services.upload.account import (
    StorageSettings,
    credentials_for,
    forget_application_key,
    store_application_key,
)
from coursedesk.services.upload.gateway import B2Gateway

log = logging.getLogger(__name__)

STORAGE_FILE_NAME = "storage.json"
_BANDWIDTH_KEY = "bandwidth_limit_bytes_per_s"


@dataclass(frozen=True, slots=True)
class UploadConfig:
    """What ``storage.json`` holds: the account (None: not set up) and the bandwidth limit."""

    account: StorageSettings | None = None
    bandwidth_limit_bytes_per_s: int | None = None


def storage_file(folder: Path) -> Path:
    return folder / STORAGE_FILE_NAME


def load_upload_config(folder: Path) -> UploadConfig:
    """The saved settings; an absent or unreadable file is "no account" (logged, not raised)."""
    path = storage_file(folder)
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return UploadConfig()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable storage settings %s: %s", path, exc)
        return UploadConfig()
    if not isinstance(raw, dict):
        return UploadConfig()
    account_raw = raw.get("account")
    account = StorageSettings.from_dict(account_raw) if isinstance(account_raw, dict) else None
    limit = raw.get(_BANDWIDTH_KEY)
    bandwidth = int(limit) if isinstance(limit, int) and limit > 0 else None
    return UploadConfig(account, bandwidth)


def save_upload_config(folder: Path, config: UploadConfig) -> None:
    """Write ``config`` atomically (a crash leaves the old file or the new, never half)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = storage_file(folder)
    record = {
        "account": config.account.to_dict() if config.account is not None else None,
        _BANDWIDTH_KEY: config.bandwidth_limit_bytes_per_s,
    }
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def gateway_factory_for(account: StorageSettings | None) -> Callable[[], B2Gateway] | None:
    """What the upload queue signs in with: the key is read from the keyring at each sign-in
    (a missing key becomes the queue's "no account" message). None without an account."""
    if account is None:
        return None

    def make() -> B2Gateway:
        return B2Gateway(credentials_for(account))

    return make


def save_account(folder: Path, account: StorageSettings, app_key: str | None) -> UploadConfig:
    """Keep ``account`` in ``storage.json`` and its key (when given) in the keyring; a key
    saved for another key id is forgotten. Raises ``KeyringUnavailable``."""
    previous = load_upload_config(folder)
    if app_key:
        store_application_key(account.key_id, app_key)
    old = previous.account
    if old is not None and old.key_id != account.key_id:
        forget_application_key(old.key_id)
    config = replace(previous, account=account)
    save_upload_config(folder, config)
    return config


def forget_account(folder: Path) -> UploadConfig:
    """No storage account any more: its key leaves the keyring, the file keeps the rest."""
    previous = load_upload_config(folder)
    if previous.account is not None:
        forget_application_key(previous.account.key_id)
    config = replace(previous, account=None)
    save_upload_config(folder, config)
    return config


def save_bandwidth_limit(folder: Path, bytes_per_s: int | None) -> UploadConfig:
    config = replace(load_upload_config(folder), bandwidth_limit_bytes_per_s=bytes_per_s)
    save_upload_config(folder, config)
    return config
