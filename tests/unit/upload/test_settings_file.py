"""storage.json: the account, the bandwidth limit, connections at once and the part size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.parts import MB
from coursedesk.services.upload.queue import UploadSettings, with_connections
from coursedesk.services.upload.settings_file import (
    UploadConfig,
    load_upload_config,
    save_bandwidth_limit,
    save_transfer_settings,
    storage_file,
)

ACCOUNT = StorageSettings("key-1", "photos", "courses/")


def write(folder: Path, record: dict[str, object]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    storage_file(folder).write_text(json.dumps(record))


def test_a_file_from_before_these_settings_reads_with_the_defaults(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"account": ACCOUNT.to_dict(), "bandwidth_limit_bytes_per_s": 2_000_000},
    )
    config = load_upload_config(tmp_path)
    assert config == UploadConfig(ACCOUNT, 2_000_000, connections=None, part_size_bytes=None)
    base = UploadSettings()
    applied = config.applied_to(base)
    assert applied.parts_at_once == base.parts_at_once
    assert applied.part_size_bytes == base.part_size_bytes
    assert applied.bandwidth_limit_bytes_per_s == 2_000_000


def test_connections_and_part_size_are_saved_in_one_write_and_keep_the_rest(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"account": ACCOUNT.to_dict(), "bandwidth_limit_bytes_per_s": None})
    save_transfer_settings(
        tmp_path, connections=12, part_size_bytes=64 * MB, bandwidth_limit_bytes_per_s=500_000
    )
    config = load_upload_config(tmp_path)
    assert config == UploadConfig(ACCOUNT, 500_000, 12, 64 * MB)
    applied = config.applied_to(UploadSettings(part_size_bytes=10_000))
    assert applied.parts_at_once == 12
    assert applied.part_size_bytes == 64 * MB


@pytest.mark.parametrize(
    ("connections", "part_size", "says"),
    [
        (0, None, "between 1 and 16"),
        (17, None, "between 1 and 16"),
        (None, 4 * MB, r"5 MB \(B2's minimum\)"),
        (None, 2048 * MB, "1024 MB"),
    ],
)
def test_values_out_of_range_are_refused_and_nothing_is_written(
    tmp_path: Path, connections: int | None, part_size: int | None, says: str
) -> None:
    save_bandwidth_limit(tmp_path, 1_000_000)
    before = storage_file(tmp_path).read_text()
    with pytest.raises(ValueError, match=says):
        save_transfer_settings(
            tmp_path,
            connections=connections,
            part_size_bytes=part_size,
            bandwidth_limit_bytes_per_s=None,
        )
    assert storage_file(tmp_path).read_text() == before


def test_out_of_range_values_in_the_file_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, {"upload_connections": 500, "part_size_bytes": 1000, "account": None})
    config = load_upload_config(tmp_path)
    assert config.connections is None
    assert config.part_size_bytes is None


@pytest.mark.parametrize(("connections", "files"), [(1, 1), (2, 2), (3, 2), (16, 2)])
def test_connections_are_shared_by_at_most_two_files(connections: int, files: int) -> None:
    settings = with_connections(UploadSettings(), connections)
    assert settings.parts_at_once == connections
    assert settings.files_at_once == files
    assert settings.parts_per_file == connections
