from __future__ import annotations

import hashlib
import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coursedesk.services.upload.parts import (
    DEFAULT_PART_SIZE_BYTES,
    MAX_PARTS,
    FileSlice,
    RateLimiter,
    choose_part_size,
    part_spans,
    sha1_of_span,
    uses_large_file,
)


def test_default_part_size_is_32_mb() -> None:
    assert choose_part_size(1_000_000_000, 5_000_000) == DEFAULT_PART_SIZE_BYTES


def test_part_size_never_goes_below_the_account_minimum() -> None:
    assert choose_part_size(10_000, 5_000_000, preferred_part_bytes=1_000) == 5_000_000


def test_part_size_grows_to_stay_under_ten_thousand_parts() -> None:
    size = 2 * 1024**4  # 2 TiB
    part = choose_part_size(size, 5_000_000)
    assert len(part_spans(size, part)) <= MAX_PARTS


@given(size=st.integers(1, 10**13), minimum=st.integers(1, 10**8))
def test_part_choice_respects_minimum_and_part_limit(size: int, minimum: int) -> None:
    part = choose_part_size(size, minimum)
    assert part >= minimum
    assert -(-size // part) <= MAX_PARTS


@given(size=st.integers(1, 10**6), part=st.integers(100, 10**5))
def test_spans_cover_the_file_exactly(size: int, part: int) -> None:
    spans = part_spans(size, part)
    assert [s.number for s in spans] == list(range(1, len(spans) + 1))
    assert sum(s.length for s in spans) == size
    assert all(s.offset == (s.number - 1) * part for s in spans)


def test_only_files_above_a_few_parts_use_the_large_file_api() -> None:
    assert not uses_large_file(300, 100)
    assert uses_large_file(301, 100)


def test_file_slice_reads_its_span_and_rewinds(tmp_path: Path) -> None:
    data = os.urandom(10_000)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    seen: list[int] = []
    with FileSlice(path, 1_000, 5_000, on_read=seen.append) as stream:
        assert len(stream) == 5_000
        assert stream.read() == data[1_000:6_000]
        stream.seek(0)
        assert stream.read(10) == data[1_000:1_010]
    assert sum(seen) == 5_010
    assert sha1_of_span(path, 1_000, 5_000) == hashlib.sha1(data[1_000:6_000]).hexdigest()


def test_rate_limiter_waits_for_the_bytes_it_lets_through() -> None:
    now = [0.0]
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(1_000, clock=lambda: now[0], sleep=sleep)
    for _ in range(10):
        limiter.take(500)
    # 5,000 bytes at 1,000 B/s take ~5 s of (fake) time; the first quarter-second is burst.
    assert now[0] >= 4.5


def test_rate_limiter_without_limit_never_waits() -> None:
    limiter = RateLimiter(None, sleep=lambda _s: (_ for _ in ()).throw(AssertionError))
    limiter.take(10**9)
