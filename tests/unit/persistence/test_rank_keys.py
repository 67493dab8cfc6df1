"""Order keys: many videos placed in one gap get valid keys that keep the order, and a bulk
move saved again and again at one spot reloads in the order the store shows."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from fractional_indexing import generate_key_between, generate_n_keys_between, validate_order_key
from hypothesis import given
from hypothesis import strategies as st
from tests.unit.persistence.library_helpers import build_course, reload_snapshot

from coursedesk.domain.operations import MoveVideos
from coursedesk.persistence.library import Library
from coursedesk.persistence.repository import keys_between

# Keys as a library holds them after a while: short integer keys, and longer fractional
# ones left by many insertions at one spot.
_KEPT = sorted(
    {
        *generate_n_keys_between(None, None, 40),
        *generate_n_keys_between("a3", "a4", 30),
        *generate_n_keys_between(None, "a0", 5),
        "a3V",
        "a3V1",
        "a3V1z",
        "Zz",
        "Zzzz",
    }
)


@given(
    bounds=st.tuples(st.integers(-1, len(_KEPT) - 1), st.integers(0, len(_KEPT))).filter(
        lambda pair: pair[0] < pair[1]
    ),
    count=st.one_of(st.integers(1, 70), st.sampled_from([500, 1921, 1922, 4000])),
)
def test_keys_for_a_gap_are_valid_ascending_and_inside_it(
    bounds: tuple[int, int], count: int
) -> None:
    low = _KEPT[bounds[0]] if bounds[0] >= 0 else None
    high = _KEPT[bounds[1]] if bounds[1] < len(_KEPT) else None

    keys = keys_between(low, high, count)

    assert len(keys) == count
    assert keys == sorted(keys)
    assert len(set(keys)) == count
    for key in keys:
        validate_order_key(key)
        assert low is None or key > low
        assert high is None or key < high
    # New keys can still be made next to each of them.
    generate_key_between(low, keys[0])
    generate_key_between(keys[-1], high)


def test_hundreds_of_keys_in_one_gap_stay_short() -> None:
    keys = keys_between("a3", "a4", 500)
    assert max(len(key) for key in keys) <= 5


def test_bulk_moves_to_the_top_of_a_chapter_again_and_again_reload_in_order(
    library: Library, library_path: Path
) -> None:
    course = build_course(library, chapters=3, videos_per_chapter=40, unassigned=0)
    first, second, third = course.chapter_ids
    for turn in range(12):
        source = second if turn % 2 == 0 else third
        moving = tuple(library.store.video_ids(source))[: 20 + turn]
        library.apply(MoveVideos(moving, first, 0))
        back = tuple(library.store.video_ids(first))[5 : 15 + turn]
        at = min(turn % 3, len(library.store.video_ids(source)))
        library.apply(MoveVideos(back, source, at))
    assert reload_snapshot(library_path) == library.store.snapshot()
    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        longest = connection.execute("SELECT max(length(rank)) FROM videos").fetchone()[0]
    assert longest <= 48
