from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursedesk.services.upload.naming import (
    MAX_NAME_BYTES,
    check_name_prefix,
    is_valid_b2_name,
    object_name,
    safe_file_name,
)

IDS = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)


def test_object_name_follows_the_course_video_layout() -> None:
    assert (
        object_name("school/", "c1", "v1", "Welcome.mp4")
        == "school/courses/c1/videos/v1/Welcome.mp4"
    )


def test_unicode_names_are_kept() -> None:
    assert safe_file_name("Fotografía · 光.mp4") == "Fotografía · 光.mp4"


@pytest.mark.parametrize(
    ("local", "safe"),
    [
        ("a/b.mp4", "a_b.mp4"),
        ("a\\b.mp4", "a_b.mp4"),
        ("tab\there.mp4", "tab_here.mp4"),
        ("del\x7f.mp4", "del_.mp4"),
        ("bad\udcff.mp4", "bad_.mp4"),
        ("   ", "video"),
        ("/leading.mp4", "_leading.mp4"),
    ],
)
def test_unsafe_characters_become_underscores(local: str, safe: str) -> None:
    assert safe_file_name(local) == safe


def test_long_names_are_cut_to_1024_bytes_keeping_the_extension() -> None:
    name = object_name("", "c" * 32, "v" * 32, "é" * 2000 + ".mp4")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.endswith(".mp4")


@pytest.mark.parametrize("prefix", ["/abs/", "a//b/", "a\\b/", "ctl\x01/"])
def test_bad_name_prefixes_are_refused(prefix: str) -> None:
    assert check_name_prefix(prefix) is not None
    with pytest.raises(ValueError, match="prefix"):
        object_name(prefix, "c", "v", "x.mp4")


@given(
    prefix=st.sampled_from(["", "school/", "Ünï/2024-"]),
    course_id=IDS,
    video_id=IDS,
    file_name=st.text(max_size=3000),
)
def test_every_local_name_gives_a_valid_b2_name(
    prefix: str, course_id: str, video_id: str, file_name: str
) -> None:
    name = object_name(prefix, course_id, video_id, file_name)
    assert is_valid_b2_name(name)
    assert name.startswith(f"{prefix}courses/{course_id}/videos/{video_id}/")
    assert not name.endswith("/")
