"""Upload settings saved in the data folder (``storage.json``): the storage account without
its key, the bandwidth limit, how many connections upload at once and the part size.

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
from coursedesk.services.upload.parts import MB
from coursedesk.services.upload.upload_settings import UploadSettings, with_connections

log = logging.getLogger(__name__)

STORAGE_FILE_NAME = "storage.json"
_BANDWIDTH_KEY = "bandwidth_limit_bytes_per_s"
_CONNECTIONS_KEY = "upload_connections"
_PART_SIZE_KEY = "part_size_bytes"

# What Settings offers. B2 takes parts of 5 MB (its absolute minimum) to 5 GB; above a
# gigabyte a part only makes retries costlier, so the choice stops there.
CONNECTIONS_MIN = 1
CONNECTIONS_MAX = 16
PART_SIZE_MIN_BYTES = 5 * MB
PART_SIZE_MAX_BYTES = 1024 * MB


@dataclass(frozen=True, slots=True)
class UploadConfig:
    """What ``storage.json`` holds: the account (None: not set up), the bandwidth limit, and
    the connections at once and part size (None: the defaults)."""

    account: StorageSettings | None = None
    bandwidth_limit_bytes_per_s: int | None = None
    connections: int | None = None
    part_size_bytes: int | None = None

    def applied_to(self, settings: UploadSettings) -> UploadSettings:
        """``settings`` with this file's bandwidth limit, and its connections and part size
        where the file sets them."""
        result = replace(settings, bandwidth_limit_bytes_per_s=self.bandwidth_limit_bytes_per_s)
        if self.connections is not None:
            result = with_connections(result, self.connections)
        if self.part_size_bytes is not None:
            result = replace(result, part_size_bytes=self.part_size_bytes)
        return result


def connections_problem(connections: int) -> str | None:
    if not CONNECTIONS_MIN <= connections <= CONNECTIONS_MAX:
        return (
            f"Connections at once must be between {CONNECTIONS_MIN} and {CONNECTIONS_MAX} "
            f"(you entered {connections})."
        )
    return None


def part_size_problem(part_size_bytes: int) -> str | None:
    if not PART_SIZE_MIN_BYTES <= part_size_bytes <= PART_SIZE_MAX_BYTES:
        return (
            f"The part size must be between {PART_SIZE_MIN_BYTES // MB} MB (B2's minimum) and "
            f"{PART_SIZE_MAX_BYTES // MB} MB (you entered {part_size_bytes / MB:g} MB)."
        )
    return None


def _in_range(raw: object, problem: Callable[[int], str | None], path: Path) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and problem(raw) is None:
        return raw
    log.warning("ignoring out-of-range upload setting %r in %s", raw, path)
    return None


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
    return UploadConfig(
        account,
        bandwidth,
        connections=_in_range(raw.get(_CONNECTIONS_KEY), connections_problem, path),
        part_size_bytes=_in_range(raw.get(_PART_SIZE_KEY), part_size_problem, path),
    )


def save_upload_config(folder: Path, config: UploadConfig) -> None:
    """Write ``config`` atomically (a crash leaves the old file or the new, never half)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = storage_file(folder)
    record = {
        "account": config.account.to_dict() if config.account is not None else None,
        _BANDWIDTH_KEY: config.bandwidth_limit_bytes_per_s,
        _CONNECTIONS_KEY: config.connections,
        _PART_SIZE_KEY: config.part_size_bytes,
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


def save_transfer_settings(
    folder: Path,
    *,
    connections: int | None,
    part_size_bytes: int | None,
    bandwidth_limit_bytes_per_s: int | None,
) -> UploadConfig:
    """Keep how uploads go (None: the default), all in one write. Raises ``ValueError`` with
    the instructor's message for a value out of range (and writes nothing)."""
    for problem in (
        connections_problem(connections) if connections is not None else None,
        part_size_problem(part_size_bytes) if part_size_bytes is not None else None,
    ):
        if problem is not None:
            raise ValueError(problem)
    config = replace(
        load_upload_config(folder),
        connections=connections,
        part_size_bytes=part_size_bytes,
        bandwidth_limit_bytes_per_s=bandwidth_limit_bytes_per_s or None,
    )
    save_upload_config(folder, config)
    return config
