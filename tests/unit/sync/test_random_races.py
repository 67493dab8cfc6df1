"""Two stores on one library taking turns at random edits, each looking at the change feed only
now and then: after every round both stores satisfy the invariants, and once both have looked,
both show exactly what the file holds. No saved edit is ever lost."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.sync_child import effects, lost_edits, random_edit, saved_effects
from tests.support.sync_helpers import Writer, assert_converged
from tests.unit.persistence.library_helpers import build_course

from coursedesk.domain.invariants import check_invariants
from coursedesk.persistence.library import Library


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def writers(library_path: Path) -> Iterator[tuple[Writer, Writer, str]]:
    first = Library.open(library_path)
    course = build_course(first, chapters=3, videos_per_chapter=5, unassigned=2)
    second = Library.open(library_path)
    second.open_course(course.id)
    yield Writer(first), Writer(second), course.id
    first.close()
    second.close()


@pytest.mark.parametrize("seed", range(6))
def test_random_races_converge_and_lose_nothing(
    writers: tuple[Writer, Writer, str], library_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    first, second, course_id = writers
    saved: list[dict[str, object]] = []
    for round_ in range(150):
        writer = rng.choice((first, second))
        if rng.random() < 0.3:
            writer.library.refresh()
        operation = random_edit(writer.library.store, course_id, rng, f"r{round_}")
        if operation is None:
            continue
        applied = writer.edit(operation)
        if applied is not None and applied.steps:
            saved.append({"seq": writer.library.seen_seq, "effects": effects(applied.steps)})
        check_invariants(writer.library.store)
        if round_ % 50 == 49:
            assert_converged(library_path, first.library, second.library)

    assert_converged(library_path, first.library, second.library)
    assert lost_edits(saved, saved_effects(library_path)) == []  # type: ignore[arg-type]
    # Races happened, and each produced at most one notice for its edit.
    assert first.notices or second.notices
