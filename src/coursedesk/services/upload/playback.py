"""Playing an uploaded video from the bucket when its local file is gone.

The player gets a download URL for the video's object with a short-lived authorization in
its query string (see ``B2Gateway.authorized_download_url``). The URL is made when a video is
opened and handed straight to the player: it is never written to the library, the settings
or the log (the log masks the token), and it stops working within the hour.

Everything here blocks on the network: call it on a worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from coursedesk.domain.model import Video
from coursedesk.services.upload.account import StorageSettings, credentials_for
from coursedesk.services.upload.errors import (
    MissingCapabilities,
    PermanentProblem,
    UploadProblem,
)
from coursedesk.services.upload.gateway import B2Gateway, Credentials

log = logging.getLogger(__name__)

# Long enough to watch a long lecture (seeking asks again with the same URL), short enough
# that a URL that got out somewhere is soon useless.
PLAYBACK_LINK_VALID_S = 3600
SHARE_CAPABILITY = "shareFiles"
# Someone is looking at "Connecting to the bucket…": don't make them wait for minutes.
CONNECT_TIMEOUT_S = 10.0
ANSWER_TIMEOUT_S = 20.0

NO_SHARE_CAPABILITY = (
    "The application key can't hand out download links (it lacks the shareFiles "
    "capability), which playing from the bucket needs. Create a key with shareFiles, or "
    "locate the local file."
)


@dataclass(frozen=True, slots=True)
class PlaybackLink:
    """Where to stream a video from (``url``), or why it can't be streamed (``problem``)."""

    # A credential for an hour: kept out of reprs, so it can't end up in a log by accident.
    url: str | None = field(default=None, repr=False)
    problem: str | None = None


def _gateway_for(credentials: Credentials) -> B2Gateway:
    gateway = B2Gateway(credentials)
    gateway.limit_waits(CONNECT_TIMEOUT_S, ANSWER_TIMEOUT_S)
    return gateway


def playback_link(
    gateway: B2Gateway, video: Video, *, valid_s: int = PLAYBACK_LINK_VALID_S
) -> PlaybackLink:
    """An authorized download URL for ``video``'s object in ``gateway``'s bucket, or why not."""
    try:
        return _find_link(gateway, video, valid_s)
    except UploadProblem as exc:
        return _problem(video, exc)


def _find_link(gateway: B2Gateway, video: Video, valid_s: int) -> PlaybackLink:
    if SHARE_CAPABILITY not in gateway.facts().capabilities:  # signs in the first time
        return PlaybackLink(problem=NO_SHARE_CAPABILITY)
    name = video.remote_name
    if not name and video.remote_file_id:
        remote = gateway.get_file_info(video.remote_file_id)
        name = remote.name if remote is not None else None
    if not name:
        return PlaybackLink(problem=_gone(video))
    url = gateway.authorized_download_url(name, valid_s)
    if not gateway.can_download(url):
        return PlaybackLink(problem=_gone(video))
    return PlaybackLink(url=url)


def _problem(video: Video, exc: UploadProblem) -> PlaybackLink:
    log.info("no download link for video %s: %s", video.id, exc.message)
    if isinstance(exc, MissingCapabilities) and SHARE_CAPABILITY in exc.missing:
        return PlaybackLink(problem=NO_SHARE_CAPABILITY)
    return PlaybackLink(problem=exc.message)


def _gone(video: Video) -> str:
    return (
        f"“{video.title}” is no longer in the bucket (it may have been deleted there). "
        "Locate the local file, or import it again."
    )


class PlaybackLinks:
    """Download links for uploaded videos, signed in once per storage account.

    Keeps one signed-in gateway between calls, so opening one video after another costs a
    download authorization and a HEAD request, not a sign-in each time; a changed account or
    key (read from the keyring at every call) gets a new one, and a refused key is dropped so
    the next try signs in afresh. Safe to call from several threads.
    """

    def __init__(
        self,
        *,
        gateway_for: Callable[[Credentials], B2Gateway] = _gateway_for,
        valid_s: int = PLAYBACK_LINK_VALID_S,
    ) -> None:
        self._gateway_for = gateway_for
        self._valid_s = valid_s
        self._lock = threading.Lock()
        self._gateway: B2Gateway | None = None

    def link(self, account: StorageSettings, video: Video) -> PlaybackLink:
        """Where ``video`` can be streamed from with ``account``, or why it can't (blocks)."""
        try:
            credentials = credentials_for(account)
        except UploadProblem as exc:  # no key saved, or no keyring
            return PlaybackLink(problem=exc.message)
        gateway = self._gateway_with(credentials)
        try:
            return _find_link(gateway, video, self._valid_s)
        except UploadProblem as exc:
            if isinstance(exc, PermanentProblem):
                # A refused key or a vanished bucket: sign in afresh next time.
                self._forget(gateway)
            return _problem(video, exc)

    def _gateway_with(self, credentials: Credentials) -> B2Gateway:
        with self._lock:
            current = self._gateway
            if current is not None and current.credentials == credentials:
                return current
            self._gateway = self._gateway_for(credentials)
            gateway = self._gateway
        if current is not None:
            current.close()
        return gateway

    def _forget(self, gateway: B2Gateway) -> None:
        with self._lock:
            if self._gateway is not gateway:
                return
            self._gateway = None
        gateway.close()

    def close(self) -> None:
        """Release the HTTP connections (a later ``link`` signs in again)."""
        with self._lock:
            gateway, self._gateway = self._gateway, None
        if gateway is not None:
            gateway.close()
