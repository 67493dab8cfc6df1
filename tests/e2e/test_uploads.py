"""Uploads end to end over the loopback B2 emulator: faults, crashes, bad accounts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator, FaultKind, FaultRule
from tests.support.upload_harness import LibraryEditor, MadeVideo, gateway_factory, make_videos

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import EmptyTrash, ReplaceVideoContent, TrashVideos
from coursedesk.persistence.library import Library
from coursedesk.persistence.uploads import JobState
from coursedesk.services.upload.gateway import B2Gateway
from coursedesk.services.upload.queue import QueueState, UploadQueue, UploadSettings
from coursedesk.services.upload.retry import RecordingClock

PART_BYTES = 10_000  # the emulator's minimum part is 5 kB: files above 30 kB go in parts
FAST = UploadSettings(
    part_size_bytes=PART_BYTES,
    retry_first_delay_s=0.01,
    retry_cap_s=0.05,
    offline_probe_interval_s=0.05,
    deletion_retry_interval_s=0.05,
)
WAIT_MS = 60_000
REPO = Path(__file__).resolve().parents[2]


def factory_for(emulator: B2Emulator, **overrides: str) -> Callable[[], B2Gateway]:
    values = {
        "realm": emulator.realm_url,
        "key_id": emulator.key_id,
        "app_key": emulator.app_key,
        "bucket": emulator.bucket_name,
        **overrides,
    }
    return lambda: gateway_factory(**values)


@pytest.fixture
def queue_maker(library: Library) -> Iterator[Callable[..., UploadQueue]]:
    made: list[UploadQueue] = []

    def make(factory: Callable[[], B2Gateway] | None, **options: object) -> UploadQueue:
        settings = options.pop("settings", FAST)
        queue = UploadQueue(
            LibraryEditor(library),
            library.database.engine,
            factory,
            settings=settings,  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.shutdown()


def run_until_idle(qtbot: QtBot, queue: UploadQueue) -> None:
    queue.start()
    qtbot.waitUntil(queue.is_idle, timeout=WAIT_MS)


def start_and_wait_for(
    qtbot: QtBot, queue: UploadQueue, state: QueueState, message_part: str = ""
) -> None:
    """Start ``queue`` and wait until it reports ``state`` with ``message_part`` in its message."""
    with qtbot.waitSignal(
        queue.state_changed,
        timeout=WAIT_MS,
        check_params_cb=lambda reported, message: (
            reported == state.value and message_part in message
        ),
    ):
        queue.start()


def stored_sha1s(emulator: B2Emulator) -> dict[str, str | None]:
    return {
        f.file_name: f.data_sha1 for f in emulator.files(with_sha1=True) if f.action == "upload"
    }


def assert_all_uploaded(library: Library, emulator: B2Emulator, made: list[MadeVideo]) -> None:
    stored = stored_sha1s(emulator)
    for video in made:
        current = library.store.video(video.video_id)
        assert current.status is VideoStatus.UPLOADED, (current.title, current.error)
        assert current.remote_name is not None
        assert stored[current.remote_name] == video.sha1
    assert not [f for f in emulator.files() if f.action == "start"], "unfinished files left"


SIZES = [3_000, 25_000, 31_000, 45_000, 99_999, 120_000, 64_000, 12_345, 80_000, 150_000]


def test_twenty_uploads_with_ten_percent_faults_all_arrive_intact(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", SIZES * 2)
    calls = [
        "b2_upload_part",
        "b2_upload_file",
        "b2_get_upload_url",
        "b2_get_upload_part_url",
        "b2_start_large_file",
        "b2_finish_large_file",
        "b2_get_file_info",
        "b2_list_parts",
    ]
    kinds = [
        FaultKind.SERVICE_UNAVAILABLE,
        FaultKind.TOO_MANY_REQUESTS,
        FaultKind.DROP_MID_BODY,
        FaultKind.DROP_AFTER_PROCESSING,
        FaultKind.SERVER_ERROR,
    ]
    b2_emulator.set_faults(
        *[FaultRule(kind, call, probability=0.02) for call in calls for kind in kinds], seed=7
    )
    clock = RecordingClock()
    queue = queue_maker(factory_for(b2_emulator), clock=clock)

    run_until_idle(qtbot, queue)

    assert_all_uploaded(library, b2_emulator, made)
    fired = sum(rule["fired"] for rule in b2_emulator.faults())
    assert fired > 0
    assert len(clock.waits) >= fired - 5  # nearly every fault was waited out


def test_retry_after_is_honoured(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", [60_000])
    b2_emulator.set_faults(
        FaultRule(FaultKind.TOO_MANY_REQUESTS, "b2_upload_part", count=1, retry_after_s=7)
    )
    clock = RecordingClock()
    queue = queue_maker(factory_for(b2_emulator), clock=clock)

    run_until_idle(qtbot, queue)

    assert_all_uploaded(library, b2_emulator, made)
    assert len(clock.waits) == 1
    assert clock.waits[0] >= 7


def test_expired_tokens_mid_upload_recover(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", [90_000, 70_000])
    expired: list[bool] = []

    def expire_once(_video: str, _part: int) -> None:
        if not expired:
            expired.append(True)
            b2_emulator.expire_auth_tokens()

    b2_emulator.set_faults(FaultRule(FaultKind.EXPIRED_TOKEN, "b2_upload_part", count=2, skip=3))
    queue = queue_maker(factory_for(b2_emulator), on_part_recorded=expire_once)

    run_until_idle(qtbot, queue)

    assert_all_uploaded(library, b2_emulator, made)
    assert b2_emulator.stats().requests("b2_authorize_account") >= 2


def test_wrong_key_says_so_and_uploads_wait(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    make_videos(library, tmp_path / "videos", [1_000])
    queue = queue_maker(factory_for(b2_emulator, app_key="not-the-key"))
    start_and_wait_for(qtbot, queue, QueueState.NO_ACCOUNT, "did not accept the key")
    assert [job.state for job in queue.jobs().values()] == [JobState.QUEUED]
    assert b2_emulator.files() == []


def test_missing_bucket_is_named(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    make_videos(library, tmp_path / "videos", [1_000])
    queue = queue_maker(factory_for(b2_emulator, bucket="no-such-bucket"))
    start_and_wait_for(qtbot, queue, QueueState.NO_ACCOUNT, "no bucket named 'no-such-bucket'")


def test_vanished_file_fails_its_job_with_a_message_and_others_go_on(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", [40_000, 2_000])
    made[0].path.unlink()
    queue = queue_maker(factory_for(b2_emulator))

    run_until_idle(qtbot, queue)

    gone = library.store.video(made[0].video_id)
    assert gone.status is VideoStatus.FAILED
    assert gone.error is not None and "is no longer in" in gone.error
    assert queue.jobs()[made[0].video_id].state is JobState.FAILED
    assert_all_uploaded(library, b2_emulator, made[1:])


def test_offline_pauses_the_queue_and_it_resumes_when_back(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", [50_000, 5_000])
    realm = ["http://127.0.0.1:9"]  # nothing listens there: connection refused
    factory = factory_for(b2_emulator)

    def flaky_network() -> B2Gateway:
        gateway = factory()
        gateway.credentials = gateway.credentials.__class__(
            gateway.credentials.key_id,
            gateway.credentials.app_key,
            gateway.credentials.bucket_name,
            realm[0],
        )
        return gateway

    queue = queue_maker(flaky_network)
    start_and_wait_for(qtbot, queue, QueueState.OFFLINE)
    realm[0] = b2_emulator.realm_url
    qtbot.waitUntil(queue.is_idle, timeout=WAIT_MS)
    assert queue.state is QueueState.RUNNING
    assert_all_uploaded(library, b2_emulator, made)


def test_emptying_the_trash_deletes_every_version_and_failed_deletions_are_retried(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", [45_000, 3_000])
    queue = queue_maker(factory_for(b2_emulator))
    run_until_idle(qtbot, queue)
    kept = library.store.video(made[1].video_id).remote_name

    b2_emulator.set_faults(
        FaultRule(FaultKind.SERVICE_UNAVAILABLE, "b2_delete_file_version", count=2)
    )
    library.apply(TrashVideos((made[0].video_id,)))
    library.apply(EmptyTrash())

    qtbot.waitUntil(lambda: [f.file_name for f in b2_emulator.files()] == [kept], timeout=WAIT_MS)
    qtbot.waitUntil(queue.is_idle, timeout=WAIT_MS)
    assert b2_emulator.stats().of("b2_delete_file_version").statuses.get(503) == 2
    assert queue.jobs().keys() == {made[1].video_id}


def test_replacing_content_uploads_the_new_file_then_deletes_the_old_object(
    qtbot: QtBot,
    library: Library,
    tmp_path: Path,
    b2_emulator: B2Emulator,
    queue_maker: Callable[..., UploadQueue],
) -> None:
    _, made = make_videos(library, tmp_path / "videos", [40_000])
    queue = queue_maker(factory_for(b2_emulator))
    run_until_idle(qtbot, queue)
    old_id = library.store.video(made[0].video_id).remote_file_id

    _, (new,) = make_videos(library, tmp_path / "new", [50_000], seed=2, title="Other")
    with qtbot.waitSignal(queue.idle, timeout=WAIT_MS):
        library.apply(
            ReplaceVideoContent(
                made[0].video_id,
                {
                    "sha1": new.sha1,
                    "size_bytes": new.size,
                    "source_path": str(new.path),
                    "source_mtime": new.path.stat().st_mtime,
                },
            )
        )
    qtbot.waitUntil(
        lambda: queue.is_idle() and len(stored_sha1s(b2_emulator)) == 2, timeout=WAIT_MS
    )

    video = library.store.video(made[0].video_id)
    assert video.remote_file_id != old_id
    assert stored_sha1s(b2_emulator)[video.remote_name or ""] == new.sha1
    assert old_id not in {f.file_id for f in b2_emulator.files()}


@pytest.mark.slow
def test_killed_uploader_resumes_and_resends_at_most_the_parts_in_flight(
    library_path: Path, tmp_path: Path, b2_emulator: B2Emulator
) -> None:
    library = Library.open(library_path)
    try:
        _, made = make_videos(library, tmp_path / "videos", [200_000, 150_000, 180_000, 8_000])
    finally:
        library.close()
    total_parts = sum(-(-v.size // PART_BYTES) for v in made if v.size > 3 * PART_BYTES)
    args = [
        sys.executable,
        "-m",
        "tests.support.upload_child",
        str(library_path),
        b2_emulator.realm_url,
        b2_emulator.key_id,
        b2_emulator.app_key,
        b2_emulator.bucket_name,
        str(PART_BYTES),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Slow parts down so the kill surely lands mid-upload.
    b2_emulator.set_faults(FaultRule(FaultKind.DELAY, "b2_upload_part", delay_s=0.05))
    child = subprocess.Popen(args, stdout=subprocess.PIPE, env=env, cwd=REPO, text=True)
    assert child.stdout is not None
    recorded = 0
    for line in child.stdout:
        if line.startswith("recorded"):
            recorded += 1
            if recorded == 12:
                child.kill()
                break
    child.wait()
    child.stdout.close()
    assert child.returncode == -9

    b2_emulator.clear_faults()
    finished = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip().endswith("idle")

    stats = b2_emulator.stats()
    sent_ok = stats.of("b2_upload_part").statuses.get(200, 0)
    in_flight = 2 * 4  # files at once x parts per file
    assert sent_ok - total_parts <= in_flight
    assert stats.requests("b2_start_large_file") == 3  # every large upload resumed its file
    library = Library.open(library_path)
    try:
        for course in library.store.courses():
            library.open_course(course.id)
        assert_all_uploaded(library, b2_emulator, made)
    finally:
        library.close()
