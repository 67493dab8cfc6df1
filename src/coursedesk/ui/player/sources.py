"""Where a video plays from: its local file when it is there, else the bucket (through an
authorized download URL fetched when needed and never stored), else nowhere, with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coursedesk.domain.model import Video
from coursedesk.services.upload.playback import PlaybackLink


class RemoteSource(Protocol):
    """Gives where the player can stream an uploaded video from: a ``PlaybackLink`` (a URL,
    or why there is none), a bare URL, or None when it can't say why.

    Called off the GUI thread (it may talk to the network); the URL carries a short-lived
    authorization, so nobody keeps it: it is asked for again each time a video is opened.
    """

    def __call__(self, video: Video) -> PlaybackLink | str | None: ...


@dataclass(frozen=True, slots=True)
class PlayFrom:
    """The outcome of looking for a video's content: a local file, the bucket, or a reason."""

    local_path: Path | None = None
    remote: bool = False
    problem: str | None = None
    # The local file is gone: offer to locate it.
    missing: bool = False


def choose_source(video: Video, remote_source: RemoteSource | None) -> PlayFrom:
    """Where ``video`` can play from. Looks at the disk (one stat), never at the network."""
    path = Path(video.source_path) if video.source_path else None
    if path is not None and path.is_file():
        return PlayFrom(local_path=path)
    if video.remote_file_id and remote_source is not None:
        return PlayFrom(remote=True, missing=True)
    name = path.name if path is not None else video.title
    where = f"“{name}” is no longer at {path.parent}" if path is not None else f"“{name}”"
    if video.remote_file_id:
        return PlayFrom(
            problem=f"{where}. It is uploaded, but no storage account is connected to play "
            "it from the bucket. Locate the file, or connect the account.",
            missing=True,
        )
    return PlayFrom(
        problem=f"{where}, and it hasn't been uploaded. Locate the file to play it.",
        missing=True,
    )
