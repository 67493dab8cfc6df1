"""Planning a drop: chapters from folders, natural order, and every kind of bad input refused
with a message, on real trees built in a temporary folder."""

from __future__ import annotations

import contextlib
import errno
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coursedesk.services.ingest.scan import (
    DropPlan,
    PlannedGroup,
    RefusalReason,
    plan_drop,
)

GIB = 1024**3


def video(path: Path, size_bytes: int = 1024) -> Path:
    """A file with a video name; its size is set sparsely, so gigabytes cost nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.truncate(size_bytes)
    return path


def names(group: PlannedGroup) -> list[str]:
    return [planned.display_name for planned in group.files]


def chapters(plan: DropPlan) -> list[tuple[str | None, list[str]]]:
    return [(group.chapter_title, names(group)) for group in plan.groups]


def messages(plan: DropPlan) -> list[str]:
    return [refusal.message for refusal in plan.refused]


def replace_scandir(
    monkeypatch: pytest.MonkeyPatch, fake: Callable[[Path], list[os.DirEntry[str]] | None]
) -> None:
    """Make ``os.scandir`` list folders eagerly and let ``fake`` act between listing and use.

    ``fake`` gets the folder and the real listing is already taken; it may raise, change the
    tree, or return None to keep the listing.
    """
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> contextlib.AbstractContextManager[object]:
        with real_scandir(path) as listing:
            entries = list(listing)
        replaced = fake(Path(path))
        return contextlib.nullcontext(entries if replaced is None else replaced)

    monkeypatch.setattr(os, "scandir", scandir)


# -- Chapters from folders ----------------------------------------------------------------


def test_a_dropped_folder_becomes_a_chapter_named_after_it(tmp_path: Path) -> None:
    video(tmp_path / "Getting started" / "Welcome.mp4", 100)
    video(tmp_path / "Getting started" / "Gear.mov", 200)

    plan = plan_drop([tmp_path / "Getting started"], make_chapters=True)

    assert chapters(plan) == [("Getting started", ["Gear.mov", "Welcome.mp4"])]
    assert plan.groups[0].folder == tmp_path / "Getting started"
    assert plan.refused == ()
    assert plan.total_bytes == 300
    assert plan.file_count == 2


def test_files_come_in_natural_order_so_2_intro_precedes_10_outro(tmp_path: Path) -> None:
    folder = tmp_path / "Course"
    for name in ["10 outro.mp4", "2 intro.mp4", "1 welcome.mp4", "Intro 2.mp4", "Intro.mp4"]:
        video(folder / name)

    plan = plan_drop([folder], make_chapters=True)

    assert names(plan.groups[0]) == [
        "1 welcome.mp4",
        "2 intro.mp4",
        "10 outro.mp4",
        "Intro.mp4",
        "Intro 2.mp4",
    ]


def test_order_ignores_case_so_chapter_2_precedes_chapter_10(tmp_path: Path) -> None:
    for name in ["chapter 10", "Chapter 2", "CHAPTER 1"]:
        video(tmp_path / name / "a.mp4")

    plan = plan_drop(
        [tmp_path / "chapter 10", tmp_path / "Chapter 2", tmp_path / "CHAPTER 1"],
        make_chapters=True,
    )

    assert [group.chapter_title for group in plan.groups] == [
        "CHAPTER 1",
        "Chapter 2",
        "chapter 10",
    ]


def test_chapter_titles_are_cleaned_like_video_titles(tmp_path: Path) -> None:
    video(tmp_path / "01 - Getting_started" / "01 - Welcome.mp4")

    plan = plan_drop([tmp_path / "01 - Getting_started"], make_chapters=True)

    assert plan.groups[0].chapter_title == "Getting started"
    assert plan.groups[0].files[0].title == "Welcome"


def test_nested_folders_become_chapters_in_depth_first_order(tmp_path: Path) -> None:
    course = tmp_path / "Photography"
    video(course / "Welcome.mp4")
    video(course / "1 Basics" / "Aperture.mp4")
    video(course / "1 Basics" / "Shutter" / "Speed.mp4")
    video(course / "1 Basics" / "Shutter" / "Blur" / "Motion.mp4")
    video(course / "1 Basics" / "ISO" / "Noise.mp4")
    video(course / "2 Light" / "Sun.mp4")

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [
        ("Photography", ["Welcome.mp4"]),
        ("Basics", ["Aperture.mp4"]),
        ("ISO", ["Noise.mp4"]),
        ("Shutter", ["Speed.mp4"]),
        ("Blur", ["Motion.mp4"]),
        ("Light", ["Sun.mp4"]),
    ]


def test_a_folder_without_videos_makes_no_chapter_but_its_subfolders_do(
    tmp_path: Path,
) -> None:
    course = tmp_path / "Course"
    (course / "notes.txt").parent.mkdir()
    (course / "notes.txt").write_text("plan")
    video(course / "Part 1" / "a.mp4")
    (course / "Empty").mkdir()

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Part 1", ["a.mp4"])]
    assert messages(plan) == ["'notes.txt' is not a video file (.txt)"]


def test_loose_files_dropped_beside_folders_come_first_without_a_chapter(
    tmp_path: Path,
) -> None:
    video(tmp_path / "b-roll.mp4")
    video(tmp_path / "Alpha" / "a.mp4")
    video(tmp_path / "aerial.mov")

    plan = plan_drop(
        [tmp_path / "b-roll.mp4", tmp_path / "Alpha", tmp_path / "aerial.mov"],
        make_chapters=True,
    )

    assert chapters(plan) == [(None, ["aerial.mov", "b-roll.mp4"]), ("Alpha", ["a.mp4"])]
    assert plan.groups[1].folder == tmp_path / "Alpha"
    assert plan.groups[0].folder is None


def test_a_drop_on_a_chapter_flattens_everything_into_one_group_depth_first(
    tmp_path: Path,
) -> None:
    video(tmp_path / "z loose.mp4")
    video(tmp_path / "A" / "2 a.mp4")
    video(tmp_path / "A" / "10 a.mp4")
    video(tmp_path / "A" / "Inner" / "deep.mp4")
    video(tmp_path / "A" / "after inner.mp4")
    video(tmp_path / "B" / "b.mp4")

    plan = plan_drop(
        [tmp_path / "B", tmp_path / "z loose.mp4", tmp_path / "A"], make_chapters=False
    )

    assert chapters(plan) == [
        (None, ["z loose.mp4", "2 a.mp4", "10 a.mp4", "after inner.mp4", "deep.mp4", "b.mp4"])
    ]
    assert plan.groups[0].folder is None


def test_a_folder_dropped_on_the_library_imports_its_videos_without_chapters(
    tmp_path: Path,
) -> None:
    video(tmp_path / "Shoot" / "take 1.mp4")
    video(tmp_path / "Shoot" / "Day 2" / "take 2.mp4")

    plan = plan_drop([tmp_path / "Shoot"], make_chapters=False)

    assert chapters(plan) == [(None, ["take 1.mp4", "take 2.mp4"])]


def test_a_drop_with_nothing_to_import_plans_no_groups(tmp_path: Path) -> None:
    (tmp_path / "Empty").mkdir()

    for make_chapters in (True, False):
        plan = plan_drop([tmp_path / "Empty"], make_chapters=make_chapters)
        assert plan.groups == ()
        assert plan.is_empty
        assert plan.total_bytes == 0


def test_the_plan_does_not_depend_on_the_order_things_were_dropped_in(tmp_path: Path) -> None:
    dropped = [video(tmp_path / "loose 1.mp4"), video(tmp_path / "Loose 10.mp4")]
    for folder in ["B", "a", "C"]:
        video(tmp_path / folder / "x.mp4")
        dropped.append(tmp_path / folder)

    plans = {
        make_chapters: plan_drop(dropped, make_chapters=make_chapters)
        for make_chapters in (True, False)
    }

    for make_chapters, plan in plans.items():
        assert plan_drop(list(reversed(dropped)), make_chapters=make_chapters) == plan
    assert [group.chapter_title for group in plans[True].groups] == [None, "a", "B", "C"]


def test_sizes_are_counted_without_reading_the_files(tmp_path: Path) -> None:
    video(tmp_path / "Lectures" / "long.mp4", 5 * GIB)
    video(tmp_path / "Lectures" / "short.mp4", 1)

    plan = plan_drop([tmp_path / "Lectures"], make_chapters=True)

    assert [planned.size_bytes for planned in plan.files] == [5 * GIB, 1]
    assert plan.total_bytes == 5 * GIB + 1
    assert plan.groups[0].size_bytes == 5 * GIB + 1


# -- Refused at scan time -----------------------------------------------------------------


def test_files_that_are_not_videos_are_refused_by_extension(tmp_path: Path) -> None:
    course = tmp_path / "Course"
    video(course / "Welcome.MP4")
    (course / "notes.pdf").write_text("%PDF")
    (course / "README").write_text("read me")
    (course / "cover.jpeg").write_bytes(b"\xff\xd8")

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["Welcome.MP4"])]
    assert messages(plan) == [
        "'cover.jpeg' is not a video file (.jpeg)",
        "'notes.pdf' is not a video file (.pdf)",
        "'README' is not a video file (no file extension)",
    ]
    assert {refusal.reason for refusal in plan.refused} == {RefusalReason.NOT_VIDEO}
    assert plan.refused[1].path == course / "notes.pdf"


@pytest.mark.parametrize("extension", ["m4a", "mp3", "wav", "aac", "flac", "ogg", "OPUS"])
def test_audio_files_are_refused_as_audio(tmp_path: Path, extension: str) -> None:
    video(tmp_path / f"voiceover.{extension}")

    plan = plan_drop([tmp_path / f"voiceover.{extension}"], make_chapters=False)

    assert plan.groups == ()
    assert messages(plan) == [f"'voiceover.{extension}' is an audio file, not a video"]
    assert plan.refused[0].reason is RefusalReason.AUDIO_ONLY


@pytest.mark.parametrize(
    "extension",
    ["mp4", "m4v", "mov", "mkv", "webm", "avi", "wmv", "flv", "mpg", "mpeg", "mts", "m2ts",
     "ts", "3gp", "ogv", "MOV", "Mp4"],
)  # fmt: skip
def test_every_known_video_extension_is_planned(tmp_path: Path, extension: str) -> None:
    path = video(tmp_path / f"clip.{extension}")

    plan = plan_drop([path], make_chapters=False)

    assert [planned.path for planned in plan.files] == [path]


def test_an_empty_file_is_refused_and_the_rest_still_planned(tmp_path: Path) -> None:
    video(tmp_path / "Course" / "empty.mp4", 0)
    video(tmp_path / "Course" / "fine.mp4")

    plan = plan_drop([tmp_path / "Course"], make_chapters=True)

    assert chapters(plan) == [("Course", ["fine.mp4"])]
    assert messages(plan) == ["'empty.mp4' is empty (0 bytes)"]
    assert plan.refused[0].reason is RefusalReason.EMPTY


def test_hidden_files_and_system_clutter_are_skipped_and_counted(tmp_path: Path) -> None:
    course = tmp_path / "Course"
    video(course / "Welcome.mp4")
    video(course / ".DS_Store")
    video(course / "._Welcome.mp4")
    video(course / "Thumbs.db")
    video(course / "desktop.ini")
    video(course / ".hidden folder" / "secret.mp4")

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["Welcome.mp4"])]
    assert plan.refused == ()
    assert plan.hidden_skipped == 5


def test_a_hidden_file_dropped_on_purpose_is_imported(tmp_path: Path) -> None:
    path = video(tmp_path / ".draft.mp4")

    plan = plan_drop([path], make_chapters=False)

    assert [planned.path for planned in plan.files] == [path]


def test_a_pipe_named_like_a_video_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "stream.mp4")
    video(tmp_path / "real.mp4")

    plan = plan_drop([tmp_path], make_chapters=False)

    assert names(plan.groups[0]) == ["real.mp4"]
    assert messages(plan) == ["'stream.mp4' is not a regular file; skipped"]
    assert plan.refused[0].reason is RefusalReason.NOT_REGULAR


def test_a_dropped_path_that_no_longer_exists_is_refused(tmp_path: Path) -> None:
    plan = plan_drop([tmp_path / "gone.mp4", tmp_path / "Gone folder"], make_chapters=True)

    assert plan.groups == ()
    assert messages(plan) == [
        "'gone.mp4' was moved or deleted during the scan",
        "'Gone folder' was moved or deleted during the scan",
    ]
    assert {refusal.reason for refusal in plan.refused} == {RefusalReason.VANISHED}


def test_a_file_that_vanishes_during_the_scan_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = tmp_path / "Course"
    video(course / "gone.mp4")
    video(course / "kept.mp4")

    def delete_after_listing(folder: Path) -> None:
        if folder == course:
            (course / "gone.mp4").unlink()

    replace_scandir(monkeypatch, delete_after_listing)

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["kept.mp4"])]
    assert messages(plan) == ["'gone.mp4' was moved or deleted during the scan"]
    assert plan.refused[0].path == course / "gone.mp4"


def test_a_folder_that_vanishes_during_the_scan_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = tmp_path / "Course"
    video(course / "a.mp4")
    video(course / "Moved" / "b.mp4")
    video(course / "Stays" / "c.mp4")

    def move_after_listing(folder: Path) -> None:
        if folder == course:
            (course / "Moved").rename(tmp_path / "Elsewhere")

    replace_scandir(monkeypatch, move_after_listing)

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["a.mp4"]), ("Stays", ["c.mp4"])]
    assert messages(plan) == ["The folder 'Moved' was moved or deleted during the scan"]
    assert plan.refused[0].reason is RefusalReason.VANISHED


@pytest.fixture
def make_unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Make a folder impossible to list.

    Root reads any folder whatever its mode, so there the refusal the kernel would give is
    played by ``os.scandir``; everyone else gets a real ``chmod 000``.
    """
    locked: list[Path] = []

    def lock(folder: Path) -> None:
        if os.geteuid() == 0:
            locked.append(folder)
        else:
            folder.chmod(0)
            locked.append(folder)

    if os.geteuid() == 0:

        def refuse_locked(folder: Path) -> None:
            if folder in locked:
                raise PermissionError(errno.EACCES, "Permission denied", str(folder))

        replace_scandir(monkeypatch, refuse_locked)

    yield lock
    if os.geteuid() != 0:
        for folder in locked:
            folder.chmod(0o755)


def test_an_unreadable_folder_is_refused_and_the_rest_still_planned(
    tmp_path: Path, make_unreadable: Callable[[Path], None]
) -> None:
    course = tmp_path / "Course"
    video(course / "Open" / "a.mp4")
    video(course / "Private" / "secret.mp4")
    video(course / "welcome.mp4")
    make_unreadable(course / "Private")

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["welcome.mp4"]), ("Open", ["a.mp4"])]
    assert messages(plan) == ["Can't open the folder 'Private': permission denied"]
    assert plan.refused[0].reason is RefusalReason.FOLDER_UNREADABLE
    assert plan.refused[0].path == course / "Private"


def test_an_unreadable_dropped_folder_is_refused(
    tmp_path: Path, make_unreadable: Callable[[Path], None]
) -> None:
    video(tmp_path / "Private" / "secret.mp4")
    make_unreadable(tmp_path / "Private")

    plan = plan_drop([tmp_path / "Private"], make_chapters=False)

    assert plan.groups == ()
    assert messages(plan) == ["Can't open the folder 'Private': permission denied"]


# -- Links --------------------------------------------------------------------------------


def test_a_link_back_to_a_folder_being_imported_is_reported_once_and_not_followed(
    tmp_path: Path,
) -> None:
    course = tmp_path / "Course"
    video(course / "a.mp4")
    video(course / "Inner" / "b.mp4")
    (course / "Inner" / "loop").symlink_to(course, target_is_directory=True)
    (course / "Inner" / "self").symlink_to(course / "Inner", target_is_directory=True)

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["a.mp4"]), ("Inner", ["b.mp4"])]
    assert messages(plan) == [
        "'loop' links back to a folder already being imported; skipped",
        "'self' links back to a folder already being imported; skipped",
    ]
    assert {refusal.reason for refusal in plan.refused} == {RefusalReason.LINK_LOOP}


def test_a_link_that_points_at_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Course").mkdir()
    (tmp_path / "Course" / "knot.mp4").symlink_to(tmp_path / "Course" / "knot.mp4")
    (tmp_path / "Course" / "ring a").symlink_to(tmp_path / "Course" / "ring b")
    (tmp_path / "Course" / "ring b").symlink_to(tmp_path / "Course" / "ring a")

    plan = plan_drop([tmp_path / "Course"], make_chapters=True)

    assert plan.groups == ()
    assert messages(plan) == [
        "'knot.mp4' is a link that leads round in a loop; skipped",
        "'ring a' is a link that leads round in a loop; skipped",
        "'ring b' is a link that leads round in a loop; skipped",
    ]


def test_a_linked_file_is_imported_from_where_it_was_found(tmp_path: Path) -> None:
    target = video(tmp_path / "Elsewhere" / "original.mp4", 4096)
    (tmp_path / "Course").mkdir()
    (tmp_path / "Course" / "linked.mp4").symlink_to(target)

    plan = plan_drop([tmp_path / "Course"], make_chapters=True)

    [planned] = plan.files
    assert planned.path == tmp_path / "Course" / "linked.mp4"
    assert planned.size_bytes == 4096


def test_a_linked_folder_is_followed_once(tmp_path: Path) -> None:
    video(tmp_path / "Shared" / "logo sting.mp4")
    course = tmp_path / "Course"
    video(course / "a.mp4")
    (course / "Intro").symlink_to(tmp_path / "Shared", target_is_directory=True)
    (course / "Outro").symlink_to(tmp_path / "Shared", target_is_directory=True)

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["a.mp4"]), ("Intro", ["logo sting.mp4"])]
    assert messages(plan) == ["'Outro' links back to a folder already being imported; skipped"]


def test_a_dropped_link_to_a_folder_is_named_after_the_link(tmp_path: Path) -> None:
    video(tmp_path / "real name" / "a.mp4")
    (tmp_path / "Shown name").symlink_to(tmp_path / "real name", target_is_directory=True)

    plan = plan_drop([tmp_path / "Shown name"], make_chapters=True)

    assert chapters(plan) == [("Shown name", ["a.mp4"])]


def test_the_same_file_reached_twice_is_imported_once(tmp_path: Path) -> None:
    course = tmp_path / "Course"
    original = video(course / "a original.mp4")
    (course / "b link.mp4").symlink_to(original)
    (course / "c hard link.mp4").hardlink_to(original)

    plan = plan_drop([course], make_chapters=True)

    assert chapters(plan) == [("Course", ["a original.mp4"])]
    assert messages(plan) == [
        "'b link.mp4' is the same file as 'a original.mp4', which is already being imported;"
        " skipped",
        "'c hard link.mp4' is the same file as 'a original.mp4', which is already being"
        " imported; skipped",
    ]
    assert {refusal.reason for refusal in plan.refused} == {RefusalReason.ALREADY_INCLUDED}


def test_a_folder_dropped_with_its_own_subfolder_is_walked_once(tmp_path: Path) -> None:
    video(tmp_path / "Course" / "a.mp4")
    video(tmp_path / "Course" / "Part" / "b.mp4")

    plan = plan_drop([tmp_path / "Course", tmp_path / "Course" / "Part"], make_chapters=True)

    assert chapters(plan) == [("Course", ["a.mp4"]), ("Part", ["b.mp4"])]
    assert messages(plan) == [
        "The folder 'Part' is already part of this import (as 'Part'); skipped"
    ]


def test_a_link_to_a_file_that_no_longer_exists_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Course").mkdir()
    (tmp_path / "Course" / "dangling.mp4").symlink_to(tmp_path / "deleted.mp4")

    plan = plan_drop([tmp_path / "Course"], make_chapters=True)
    dropped = plan_drop([tmp_path / "Course" / "dangling.mp4"], make_chapters=True)

    for refused in (plan, dropped):
        assert messages(refused) == ["'dangling.mp4' is a link to something that no longer exists"]
        assert refused.refused[0].reason is RefusalReason.BROKEN_LINK


# -- Names --------------------------------------------------------------------------------


def test_decomposed_unicode_names_are_shown_composed(tmp_path: Path) -> None:
    folder = tmp_path / unicodedata.normalize("NFD", "Café")
    path = video(folder / unicodedata.normalize("NFD", "Crème brûlée.mp4"))

    plan = plan_drop([folder], make_chapters=True)

    assert plan.groups[0].chapter_title == "Café"
    [planned] = plan.files
    assert planned.display_name == "Crème brûlée.mp4"
    assert planned.title == "Crème brûlée"
    assert planned.path == path
    assert planned.path.exists()


def test_emoji_and_right_to_left_names_are_planned_in_natural_order(tmp_path: Path) -> None:
    folder = tmp_path / "🎬 Course"
    for name in ["🎬 Intro.mp4", "درس 10.mp4", "درس 2.mp4", "שיעור.mov", "2 Two.mp4"]:
        video(folder / name)

    plan = plan_drop([folder], make_chapters=True)

    # Past the natural numbering, scripts fall in code point order: Hebrew before Arabic.
    assert chapters(plan) == [
        ("🎬 Course", ["2 Two.mp4", "שיעור.mov", "درس 2.mp4", "درس 10.mp4", "🎬 Intro.mp4"])
    ]
    assert [planned.title for planned in plan.files] == [
        "Two",
        "שיעור",
        "درس 2",
        "درس 10",
        "🎬 Intro",
    ]


def test_a_right_to_left_name_in_a_message_is_isolated_from_the_sentence(tmp_path: Path) -> None:
    (tmp_path / "درس.pdf").write_text("notes")

    plan = plan_drop([tmp_path / "درس.pdf"], make_chapters=False)

    assert messages(plan) == ["'\u2068درس.pdf\u2069' is not a video file (.pdf)"]


def test_nfc_and_nfd_twins_in_one_folder_are_both_planned_in_a_fixed_order(
    tmp_path: Path,
) -> None:
    composed = video(tmp_path / unicodedata.normalize("NFC", "é.mp4"))
    decomposed = video(tmp_path / unicodedata.normalize("NFD", "é.mp4"))

    plan = plan_drop([tmp_path], make_chapters=False)

    assert [planned.path for planned in plan.files] == sorted(
        [composed, decomposed], key=lambda path: path.name
    )


def test_a_name_that_is_not_valid_utf8_is_planned_and_shown_with_a_replacement_mark(
    tmp_path: Path,
) -> None:
    # A Latin-1 "café.mp4" on a UTF-8 file system.
    video(tmp_path / os.fsdecode(b"caf\xe9.mp4"), 10)

    plan = plan_drop([tmp_path], make_chapters=False)

    [planned] = plan.files
    assert planned.display_name == "caf\ufffd.mp4"
    assert planned.title == "caf\ufffd"
    assert os.fsencode(planned.path) == os.fsencode(tmp_path) + b"/caf\xe9.mp4"


# -- Scale --------------------------------------------------------------------------------


def test_a_thousand_files_with_ten_bad_ones_plans_the_other_990(tmp_path: Path) -> None:
    course = tmp_path / "Course"
    course.mkdir()
    for number in range(1000):
        folder = course / f"Part {number // 100}"
        if number % 100 == 0:
            folder.mkdir()
        if number % 100 == 7:
            bad = folder / f"{number} empty.mp4"
            bad.touch()
        else:
            video(folder / f"{number} clip.mp4", 10)

    plan = plan_drop([course], make_chapters=True)

    assert plan.file_count == 990
    assert plan.total_bytes == 9900
    assert len(plan.refused) == 10
    assert [group.chapter_title for group in plan.groups] == [f"Part {n}" for n in range(10)]
    assert [planned.display_name for planned in plan.groups[3].files][:3] == [
        "300 clip.mp4",
        "301 clip.mp4",
        "302 clip.mp4",
    ]


def test_ten_thousand_files_in_a_hundred_folders_are_all_planned_in_order(
    tmp_path: Path,
) -> None:
    course = tmp_path / "Course"
    for part in range(100):
        folder = course / f"Part {part}"
        folder.mkdir(parents=True)
        for number in range(100):
            video(folder / f"{number} clip.mp4", 1)

    plan = plan_drop([course], make_chapters=False)

    assert plan.file_count == 10_000
    names = [(f.path.parent.name, f.path.name) for f in plan.files]
    assert names[:2] == [("Part 0", "0 clip.mp4"), ("Part 0", "1 clip.mp4")]
    assert names[99:101] == [("Part 0", "99 clip.mp4"), ("Part 1", "0 clip.mp4")]
    assert names[-1] == ("Part 99", "99 clip.mp4")


@pytest.fixture
def deep_tree(tmp_path: Path) -> Iterator[Path]:
    """1,200 nested folders, deeper than Python's recursion limit, with a video at the bottom.

    The fixture removes the tree itself: pytest's own clean-up recurses and would fail on it.
    """
    folders = [tmp_path]
    for _ in range(1200):
        folders.append(folders[-1] / "d")
        folders[-1].mkdir()
    bottom = video(folders[-1] / "bottom.mp4")
    yield folders[1]
    bottom.unlink()
    for folder in reversed(folders[1:]):
        folder.rmdir()


def test_a_tree_deeper_than_the_recursion_limit_is_walked(deep_tree: Path) -> None:
    plan = plan_drop([deep_tree], make_chapters=True)

    assert chapters(plan) == [("d", ["bottom.mp4"])]
