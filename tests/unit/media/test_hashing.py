"""The whole-file SHA-1 that uploads are checked against: correct, bounded, cancellable."""

import errno
import hashlib
import os
import tracemalloc
from pathlib import Path

import pytest
from tests.support import clips

from coursedesk.media import Cancelled, FileChanged, FileUnreadable, hashing, sha1_of_file

MIB = 1024 * 1024


def test_hash_is_the_sha1_of_the_whole_file(mp4_clip: Path) -> None:
    assert sha1_of_file(mp4_clip) == hashlib.sha1(mp4_clip.read_bytes()).hexdigest()


@pytest.mark.parametrize("size", [1, 4095, 4096, 4097, 3 * 4096])
def test_hash_is_right_at_every_chunk_boundary(tmp_path: Path, size: int) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(os.urandom(size))

    digest = sha1_of_file(path, chunk_size_bytes=4096)

    assert digest == hashlib.sha1(path.read_bytes()).hexdigest()


def test_progress_climbs_to_the_file_size(tmp_path: Path) -> None:
    path = clips.make_sparse_file(tmp_path / "big.bin", 10 * MIB + 123)
    reports: list[int] = []

    sha1_of_file(path, on_progress=reports.append, progress_every_bytes=2 * MIB)

    assert reports == sorted(reports)
    assert reports[-1] == 10 * MIB + 123
    assert 4 <= len(reports) <= 6  # about one report per 2 MiB, not one per chunk


def test_cancel_stops_hashing_promptly(tmp_path: Path) -> None:
    path = clips.make_sparse_file(tmp_path / "big.bin", 50 * MIB)
    reports: list[int] = []

    with pytest.raises(Cancelled):
        sha1_of_file(
            path,
            on_progress=reports.append,
            should_cancel=lambda: bool(reports),
            progress_every_bytes=MIB,
        )

    assert reports == [MIB]


def test_memory_stays_bounded_while_hashing_a_200_mb_file(tmp_path: Path) -> None:
    path = clips.make_sparse_file(tmp_path / "big.bin", 200 * MIB)

    tracemalloc.start()
    try:
        sha1_of_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < hashing.CHUNK_SIZE_BYTES + MIB


def test_file_growing_while_hashed_is_reported_as_changed(tmp_path: Path) -> None:
    # Like hashing a recording that is still being written.
    path = clips.make_sparse_file(tmp_path / "recording.mp4", 4 * MIB)

    def keep_recording(done: int) -> None:
        with path.open("ab") as file:
            file.write(b"\0" * 1000)

    with pytest.raises(FileChanged, match=r"recording\.mp4"):
        sha1_of_file(path, on_progress=keep_recording, progress_every_bytes=MIB)


def test_read_error_midway_is_reported_as_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failing disk or a dropped network share answers a read with EIO.
    path = clips.make_sparse_file(tmp_path / "lecture.mp4", 4 * MIB)
    real_readv = os.readv
    reads = 0

    def failing_readv(fd: int, buffers: list[memoryview]) -> int:
        nonlocal reads
        reads += 1
        if reads == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real_readv(fd, buffers)

    monkeypatch.setattr(os, "readv", failing_readv)

    with pytest.raises(FileUnreadable, match="disk or network"):
        sha1_of_file(path)


def test_hash_of_a_unicode_named_file(tmp_path: Path) -> None:
    path = tmp_path / "Ünïcødé 🎬 clip.mp4"
    path.write_bytes(b"lecture" * 1000)

    assert sha1_of_file(path) == hashlib.sha1(b"lecture" * 1000).hexdigest()
