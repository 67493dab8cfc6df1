"""Helpers for upload tests: a library with videos made from real files, an editor over it,
and an upload queue wired to a B2 emulator."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddVideos, CreateCourse, Operation, new_video
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence.library import Library
from coursedesk.services.upload.gateway import B2Gateway, Credentials


class LibraryEditor:
    """The queue's editor over a bare library (what the edit session does in the app)."""

    def __init__(self, library: Library) -> None:
        self.library = library

    @property
    def store(self) -> Store:
        return self.library.store

    def apply_untracked(self, operation: Operation) -> Applied | None:
        return self.library.apply(operation)


@dataclass(frozen=True)
class MadeVideo:
    video_id: str
    path: Path
    sha1: str
    size: int


def make_videos(
    library: Library, folder: Path, sizes: list[int], *, seed: int = 1, title: str = "Course"
) -> tuple[str, list[MadeVideo]]:
    """A course holding one ready video per size, each backed by a file of random bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    course = CreateCourse(title)
    library.apply(course)
    made: list[MadeVideo] = []
    videos = []
    for index, size in enumerate(sizes):
        data = rng.randbytes(size)
        path = folder / f"lesson {index:02d}.mp4"
        path.write_bytes(data)
        sha1 = hashlib.sha1(data).hexdigest()
        video = new_video(
            course.course_id,
            f"Lesson {index}",
            str(path),
            status=VideoStatus.READY,
            sha1=sha1,
            size_bytes=size,
            source_mtime=path.stat().st_mtime,
        )
        videos.append(video)
        made.append(MadeVideo(video.id, path, sha1, size))
    library.apply(AddVideos(tuple(videos)))
    return course.course_id, made


def gateway_factory(realm: str, key_id: str, app_key: str, bucket: str) -> B2Gateway:
    return B2Gateway(Credentials(key_id, app_key, bucket, realm))


def make_videos_from_files(library: Library, files: list[Path], title: str = "Bench") -> str:
    """A course holding one ready video per existing file (hashed here)."""
    course = CreateCourse(title)
    library.apply(course)
    videos = []
    for path in files:
        digest = hashlib.sha1()
        with path.open("rb") as file:
            while chunk := file.read(4 * 1024 * 1024):
                digest.update(chunk)
        videos.append(
            new_video(
                course.course_id,
                path.stem,
                str(path),
                status=VideoStatus.READY,
                sha1=digest.hexdigest(),
                size_bytes=path.stat().st_size,
                source_mtime=path.stat().st_mtime,
            )
        )
    library.apply(AddVideos(tuple(videos)))
    return course.course_id
