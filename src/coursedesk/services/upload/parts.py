"""Cutting a file into parts and streaming one part from disk.

The part size is chosen once per upload (``choose_part_size``) and stored with the job, so a
resumed upload cuts the file exactly as before. A part is read from disk twice: once for its
SHA-1 (B2 wants it before the body) and once while it is sent, through ``FileSlice``, which
never holds more than one small buffer; memory stays flat whatever the part or file size.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024
DEFAULT_PART_SIZE_BYTES = 32 * MB
MAX_PARTS = 10_000
# Files above this many parts go through the large-file API (so they can resume); below it
# one plain upload is cheaper than starting, listing and finishing a large file.
LARGE_FILE_THRESHOLD_PARTS = 3
READ_CHUNK_BYTES = 256 * 1024


def choose_part_size(
    size_bytes: int, minimum_part_bytes: int, preferred_part_bytes: int = DEFAULT_PART_SIZE_BYTES
) -> int:
    """The part size for a file: the preferred size, never below the account's absolute
    minimum, raised so the file needs at most ``MAX_PARTS`` parts."""
    part = max(preferred_part_bytes, minimum_part_bytes, 1)
    return max(part, math.ceil(size_bytes / MAX_PARTS))


def uses_large_file(size_bytes: int, part_size_bytes: int) -> bool:
    return size_bytes > LARGE_FILE_THRESHOLD_PARTS * part_size_bytes


@dataclass(frozen=True, slots=True)
class PartSpan:
    number: int  # from 1, as B2 counts
    offset: int
    length: int


def part_spans(size_bytes: int, part_size_bytes: int) -> list[PartSpan]:
    """The parts of a file: all ``part_size_bytes`` long but the last."""
    count = max(1, math.ceil(size_bytes / part_size_bytes))
    return [
        PartSpan(n + 1, n * part_size_bytes, min(part_size_bytes, size_bytes - n * part_size_bytes))
        for n in range(count)
    ]


def sha1_of_span(path: Path, offset: int, length: int) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as file:
        file.seek(offset)
        remaining = length
        while remaining:
            chunk = file.read(min(READ_CHUNK_BYTES, remaining))
            if not chunk:
                raise EOFError(f"{path.name} is shorter than expected")
            digest.update(chunk)
            remaining -= len(chunk)
    return digest.hexdigest()


def sha1_of_whole_file(path: Path) -> str:
    return sha1_of_span(path, 0, path.stat().st_size)


class RateLimiter:
    """A shared token bucket: the bandwidth limit over every part being sent."""

    def __init__(
        self,
        bytes_per_s: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._lock = threading.Lock()
        self._rate = bytes_per_s
        self._clock = clock
        self._sleep = sleep
        self._available = 0.0
        self._stamp = clock()

    @property
    def bytes_per_s(self) -> int | None:
        return self._rate

    def set_rate(self, bytes_per_s: int | None) -> None:
        with self._lock:
            self._rate = bytes_per_s if bytes_per_s and bytes_per_s > 0 else None
            self._available = 0.0
            self._stamp = self._clock()

    def take(self, amount: int) -> None:
        """Wait until ``amount`` bytes may go out."""
        while True:
            with self._lock:
                rate = self._rate
                if rate is None:
                    return
                now = self._clock()
                # At most a quarter second's burst, so the limit holds over short spans too.
                self._available = min(
                    self._available + (now - self._stamp) * rate, max(rate / 4, amount)
                )
                self._stamp = now
                if self._available >= amount:
                    self._available -= amount
                    return
                wait = (amount - self._available) / rate
            self._sleep(min(wait, 0.25))


class SendAborted(Exception):
    """Raised from inside a part's body to abandon the request (a cancel)."""


class FileSlice(io.RawIOBase):
    """A read-only stream over ``length`` bytes of a file from ``offset``.

    It has a length (requests reads it for Content-Length) but no file number, so nothing
    mistakes it for the whole file; ``seek(0)`` starts it over (b2sdk rewinds before
    sending). Each read reports its size to ``on_read``, takes its bytes from the shared
    ``limiter`` and checks ``should_abort``.
    """

    def __init__(
        self,
        path: Path,
        offset: int,
        length: int,
        *,
        on_read: Callable[[int], None] | None = None,
        limiter: RateLimiter | None = None,
        should_abort: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self._file = path.open("rb")
        self._offset = offset
        self._length = length
        self._position = 0
        self._on_read = on_read
        self._limiter = limiter
        self._should_abort = should_abort
        self._file.seek(offset)

    def __len__(self) -> int:
        return self._length

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, position: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._length}[whence]
        self._position = min(max(0, base + position), self._length)
        self._file.seek(self._offset + self._position)
        return self._position

    def readinto(self, buffer: Any) -> int:
        if self._should_abort is not None and self._should_abort():
            raise SendAborted("the upload was cancelled")
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._length - self._position, READ_CHUNK_BYTES)
        if wanted <= 0:
            return 0
        if self._limiter is not None:
            self._limiter.take(wanted)
        got = self._file.readinto(view[:wanted])
        if not got:
            raise EOFError("the file got shorter while it was being sent")
        self._position += got
        if self._on_read is not None:
            self._on_read(got)
        return got

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()
