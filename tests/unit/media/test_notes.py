"""Pre-flight notes: remarks shown before upload that never block an import."""

import dataclasses
from pathlib import Path

import pytest
from tests.support import clips

from coursedesk.media import NoteCode, PreflightNote, preflight_notes, probe


def codes(notes: list[PreflightNote]) -> list[NoteCode]:
    return [note.code for note in notes]


def test_ordinary_clip_has_no_notes(mp4_clip: Path) -> None:
    assert preflight_notes(probe(mp4_clip)) == []


def test_clip_without_sound_is_noted(silent_clip: Path) -> None:
    notes = preflight_notes(probe(silent_clip))

    assert codes(notes) == [NoteCode.NO_AUDIO]
    assert notes[0].message == "'silent.mp4' has no sound track."


def test_variable_frame_rate_is_noted(tmp_path: Path) -> None:
    path = clips.make_vfr_clip(tmp_path / "screen.mkv")

    assert codes(preflight_notes(probe(path))) == [NoteCode.VARIABLE_FRAME_RATE]


def test_very_high_bit_rate_for_the_picture_size_is_noted(noisy_clip: Path) -> None:
    notes = preflight_notes(probe(noisy_clip))

    assert codes(notes) == [NoteCode.HIGH_BIT_RATE]
    assert "160 x 120" in notes[0].message
    assert "noisy.mp4" in notes[0].message


def test_file_over_5_gb_is_noted(mp4_clip: Path) -> None:
    # Probing a real 5 GB file is too slow for a unit test; the note depends only on the facts.
    huge = dataclasses.replace(probe(mp4_clip), size_bytes=5_500_000_000)

    notes = preflight_notes(huge)

    assert codes(notes) == [NoteCode.LARGE_FILE]
    assert "5.5 GB" in notes[0].message


def test_file_of_exactly_5_gb_is_not_noted(mp4_clip: Path) -> None:
    limit = dataclasses.replace(probe(mp4_clip), size_bytes=5_000_000_000)

    assert preflight_notes(limit) == []


def test_notes_are_immutable_values(silent_clip: Path) -> None:
    note = preflight_notes(probe(silent_clip))[0]

    assert note == PreflightNote(NoteCode.NO_AUDIO, "'silent.mp4' has no sound track.")
    assert note.code == "no_audio"
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.message = "changed"  # type: ignore[misc]
