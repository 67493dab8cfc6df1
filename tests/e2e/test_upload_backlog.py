"""The queue's whole-library backlog: every video of every live course gets its upload job,
read from the database for courses not opened in the store, a slice at a time; when such a
course is opened, its videos' statuses catch up with their jobs. Over the B2 emulator where
something is uploaded; without an account where only the jobs matter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator
from tests.support.upload_harness import LibraryEditor, MadeVideo, gateway_factory, make_videos

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import (
    AddVideos,
    ReplaceVideoContent,
    RestoreCourse,
    TrashCourse,
    TrashVideos,
    new_video,
)
from coursedesk.persistence import uploads as journal_db
from coursedesk.persistence.library import Library
from coursedesk.persistence.upload_backlog import videos_to_upload
from coursedesk.persistence.uploads import JobState
from coursedesk.services.upload import queue as queue_module
from coursedesk.services.upload.gateway import B2Gateway
from coursedesk.services.upload.queue import UploadQueue, UploadSettings

WAIT_MS = 60_000
FAST = UploadSettings(
    part_size_bytes=10_000,
    retry_first_delay_s=0.01,
    retry_cap_s=0.05,
    offline_probe_interval_s=0.05,
    deletion_retry_interval_s=0.05,
)

QueueMaker = Callable[[Library, Callable[[], B2Gateway] | None], UploadQueue]


@pytest.fixture
def queue_maker() -> Iterator[QueueMaker]:
    made: list[UploadQueue] = []

    def make(library: Library, factory: Callable[[], B2Gateway] | None) -> UploadQueue:
        queue = UploadQueue(LibraryEditor(library), library.database.engine, factory, settings=FAST)
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.shutdown()


@pytest.fixture
def reopen(library_path: Path) -> Iterator[Callable[[], Library]]:
    """The library as CourseDesk opens it: every course known, none read into the store."""
    opened: list[Library] = []

    def open_library() -> Library:
        library = Library.open(library_path)
        opened.append(library)
        return library

    yield open_library
    for library in opened:
        library.close()


def saved_jobs(library: Library) -> dict[str, journal_db.JobRecord]:
    with library.database.engine.connect() as connection:
        return journal_db.load_jobs(connection)


def start_and_read(qtbot: QtBot, queue: UploadQueue) -> None:
    queue.start()
    queue.enqueue_library()
    qtbot.waitUntil(lambda: not queue.reading_library, timeout=WAIT_MS)


def ids(videos: list[MadeVideo]) -> set[str]:
    return {v.video_id for v in videos}


def test_videos_of_courses_not_opened_get_jobs_in_slices_without_being_read_into_the_store(
    qtbot: QtBot,
    library: Library,
    reopen: Callable[[], Library],
    queue_maker: QueueMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, one = make_videos(library, tmp_path / "one", [1_000, 2_000, 3_000], title="One")
    second, two = make_videos(library, tmp_path / "two", [4_000, 5_000], seed=2, title="Two")
    monkeypatch.setattr(queue_module, "BACKLOG_SLICE", 2)
    app = reopen()
    queue = queue_maker(app, None)

    start_and_read(qtbot, queue)

    assert ids(one) | ids(two) == queue.jobs().keys()
    assert {job.state for job in queue.jobs().values()} == {JobState.QUEUED}
    assert {job.course_id for job in queue.jobs().values()} == {first, second}
    assert not app.store.is_loaded(first) and not app.store.is_loaded(second)
    qtbot.waitUntil(lambda: saved_jobs(app).keys() == queue.jobs().keys(), timeout=WAIT_MS)
    # Nothing is left for another round.
    with app.database.engine.connect() as connection:
        assert videos_to_upload(connection) == []

    # Opening a course shows its videos waiting for their upload, here and on disk.
    app.open_course(second)
    queue.course_opened(second)
    qtbot.waitUntil(
        lambda: {app.store.video(v).status for v in ids(two)} == {VideoStatus.QUEUED},
        timeout=WAIT_MS,
    )
    assert library.path is not None
    reloaded = Library.open(library.path)
    try:
        reloaded.open_course(second)
        assert {reloaded.store.video(v).status for v in ids(two)} == {VideoStatus.QUEUED}
    finally:
        reloaded.close()


def test_courses_in_the_trash_and_videos_in_a_trash_are_left_out(
    qtbot: QtBot,
    library: Library,
    reopen: Callable[[], Library],
    queue_maker: QueueMaker,
    tmp_path: Path,
) -> None:
    _, kept = make_videos(library, tmp_path / "live", [1_000, 2_000], title="Live")
    gone, _ = make_videos(library, tmp_path / "gone", [3_000], seed=2, title="Gone")
    library.apply(TrashVideos((kept[0].video_id,)))
    library.apply(TrashCourse(gone))
    queue = queue_maker(reopen(), None)
    start_and_read(qtbot, queue)
    assert queue.jobs().keys() == {kept[1].video_id}


def test_uploads_done_while_a_course_was_closed_show_when_it_is_opened(
    qtbot: QtBot,
    library: Library,
    reopen: Callable[[], Library],
    queue_maker: QueueMaker,
    tmp_path: Path,
    b2_emulator: B2Emulator,
) -> None:
    course, made = make_videos(library, tmp_path / "v", [3_000, 45_000], title="Closed")
    app = reopen()
    realm, key_id, key = b2_emulator.realm_url, b2_emulator.key_id, b2_emulator.app_key
    bucket = b2_emulator.bucket_name
    queue = queue_maker(app, lambda: gateway_factory(realm, key_id, key, bucket))
    start_and_read(qtbot, queue)
    qtbot.waitUntil(queue.is_idle, timeout=WAIT_MS)
    jobs = queue.jobs()
    assert {jobs[v].state for v in ids(made)} == {JobState.DONE}
    assert not app.store.is_loaded(course)

    app.open_course(course)
    assert {app.store.video(v).status for v in ids(made)} == {VideoStatus.READY}
    queue.course_opened(course)
    qtbot.waitUntil(
        lambda: {app.store.video(v).status for v in ids(made)} == {VideoStatus.UPLOADED},
        timeout=WAIT_MS,
    )
    for video_id in ids(made):
        video = app.store.video(video_id)
        assert (video.remote_file_id, video.remote_name) == (
            jobs[video_id].remote_file_id,
            jobs[video_id].object_name,
        )


def test_content_replaced_by_another_program_in_a_closed_course_is_uploaded_again(
    qtbot: QtBot,
    library: Library,
    reopen: Callable[[], Library],
    queue_maker: QueueMaker,
    tmp_path: Path,
) -> None:
    _, (video,) = make_videos(library, tmp_path / "v", [3_000], title="Closed")
    first = queue_maker(reopen(), None)
    start_and_read(qtbot, first)
    assert first.jobs()[video.video_id].sha1 == video.sha1
    first.shutdown()

    _, (new,) = make_videos(library, tmp_path / "new", [4_000], seed=2, title="Other")
    library.apply(
        ReplaceVideoContent(
            video.video_id,
            {"sha1": new.sha1, "size_bytes": new.size, "source_path": str(new.path)},
        )
    )
    second = queue_maker(reopen(), None)
    start_and_read(qtbot, second)
    job = second.jobs()[video.video_id]
    assert (job.sha1, job.source_path, job.state) == (new.sha1, str(new.path), JobState.QUEUED)


def test_a_course_read_into_the_store_without_a_word_is_looked_over_at_the_next_change(
    qtbot: QtBot,
    library: Library,
    reopen: Callable[[], Library],
    queue_maker: QueueMaker,
    tmp_path: Path,
) -> None:
    course, made = make_videos(library, tmp_path / "v", [1_000, 2_000], title="Quiet")
    app = reopen()
    queue = queue_maker(app, None)
    queue.start()
    app.open_course(course)  # e.g. to empty the Trash; nobody tells the queue
    assert not queue.jobs()

    # Any change the queue hears of makes it look at every course in the store.
    app.apply(AddVideos((new_video(course, "Still reading", "/clips/new.mp4"),)))
    qtbot.waitUntil(lambda: not queue.reading_library, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: queue.jobs().keys() == ids(made), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: {app.store.video(v).status for v in ids(made)} == {VideoStatus.QUEUED},
        timeout=WAIT_MS,
    )


def test_a_course_in_the_trash_gets_its_jobs_once_restored(
    qtbot: QtBot, library: Library, queue_maker: QueueMaker, tmp_path: Path
) -> None:
    course, made = make_videos(library, tmp_path / "v", [1_000, 2_000], title="Binned")
    library.apply(TrashCourse(course))
    queue = queue_maker(library, None)
    start_and_read(qtbot, queue)
    assert not queue.jobs()

    library.apply(RestoreCourse(course))
    qtbot.waitUntil(lambda: queue.jobs().keys() == ids(made), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: {library.store.video(v).status for v in ids(made)} == {VideoStatus.QUEUED},
        timeout=WAIT_MS,
    )
