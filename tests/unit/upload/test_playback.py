"""Download links for playing uploaded videos, over the loopback B2 emulator: the link reads
exactly the video's object (ranges included) and nothing else, and every way it can't be made
says why in words an instructor can act on."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from b2sdk.v2 import B2Api
from tests.support.b2_emulator import B2Emulator, EmulatorConfig, KeySpec

from coursedesk.domain.model import Video
from coursedesk.domain.operations import new_video
from coursedesk.services.upload.account import StorageSettings, store_application_key
from coursedesk.services.upload.gateway import B2Gateway, Credentials
from coursedesk.services.upload.playback import (
    NO_SHARE_CAPABILITY,
    PlaybackLink,
    PlaybackLinks,
    playback_link,
)

NAME = "courses/c1/videos/v1/Aperture and ü+1.mp4"
DATA = os.urandom(30_000)

UPLOAD_ONLY_KEY = KeySpec(
    key_id="upload-only-key-id",
    app_key="upload-only-app-key",
    capabilities=("listBuckets", "listFiles", "readFiles", "writeFiles", "deleteFiles"),
)


def video(**fields: object) -> Video:
    values: dict[str, object] = {
        "video_id": "v1",
        "created_at": 1_000.0,
        "remote_file_id": "4_file",
        "remote_name": NAME,
        **fields,
    }
    return new_video("c1", "Aperture", "/gone/Aperture.mp4", **values)  # type: ignore[arg-type]


def settings_for(emulator: B2Emulator, key: KeySpec | None = None) -> StorageSettings:
    key = key or emulator.master_key
    return StorageSettings(key.key_id, emulator.bucket_name, "", emulator.realm_url)


@pytest.fixture
def uploaded(b2_api: B2Api, b2_emulator: B2Emulator) -> Video:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    version = bucket.upload_bytes(DATA, NAME)
    return video(remote_file_id=version.id_)


@pytest.fixture
def gateway(b2_emulator: B2Emulator) -> Iterator[B2Gateway]:
    key = b2_emulator.master_key
    credentials = Credentials(
        key.key_id, key.app_key, b2_emulator.bucket_name, b2_emulator.realm_url
    )
    with B2Gateway(credentials) as opened:
        yield opened


@pytest.fixture
def links() -> Iterator[PlaybackLinks]:
    made = PlaybackLinks()
    yield made
    made.close()


def get(url: str, **headers: str) -> requests.Response:
    with requests.Session() as session:
        return session.get(url, headers=headers, timeout=10)


def test_the_link_downloads_the_video_and_serves_ranges(
    gateway: B2Gateway, uploaded: Video
) -> None:
    link = playback_link(gateway, uploaded)
    assert link.problem is None and link.url is not None
    whole = get(link.url)
    assert whole.status_code == 200
    assert whole.content == DATA
    part = get(link.url, Range="bytes=1000-1999")
    assert part.status_code == 206
    assert part.content == DATA[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(DATA)}"


def test_the_link_carries_a_download_grant_for_that_video_only(
    gateway: B2Gateway, uploaded: Video, b2_api: B2Api, b2_emulator: B2Emulator
) -> None:
    other = "courses/c1/videos/v2/Other.mp4"
    b2_api.get_bucket_by_name(b2_emulator.bucket_name).upload_bytes(b"other video", other)
    link = playback_link(gateway, uploaded)
    assert link.url is not None
    parts = urlsplit(link.url)
    (token,) = parse_qs(parts.query)["Authorization"]
    assert token != b2_api.account_info.get_account_auth_token()
    assert b2_emulator.app_key not in link.url
    assert b2_emulator.stats().requests("b2_get_download_authorization") == 1
    other_url = link.url.replace(parts.path, f"/file/{b2_emulator.bucket_name}/{other}")
    assert get(other_url).status_code == 401
    assert get(link.url.replace(token, token + "x")).status_code == 401


def test_the_name_is_found_by_file_id_when_the_library_lacks_it(
    gateway: B2Gateway, uploaded: Video
) -> None:
    link = playback_link(gateway, video(remote_file_id=uploaded.remote_file_id, remote_name=None))
    assert link.url is not None
    assert get(link.url).content == DATA


def test_a_video_deleted_from_the_bucket_says_it_is_gone(
    gateway: B2Gateway, uploaded: Video, b2_api: B2Api
) -> None:
    assert uploaded.remote_file_id is not None
    b2_api.delete_file_version(uploaded.remote_file_id, NAME)
    link = playback_link(gateway, uploaded)
    assert link.url is None
    assert link.problem is not None
    assert "“Aperture” is no longer in the bucket" in link.problem


def test_a_wrong_key_says_the_key_was_not_accepted(
    b2_emulator: B2Emulator, uploaded: Video, links: PlaybackLinks
) -> None:
    account = settings_for(b2_emulator)
    store_application_key(account.key_id, "not-the-key")
    link = links.link(account, uploaded)
    assert link.url is None
    assert link.problem == (
        "B2 did not accept the key ID and application key. Check both, or create a new key."
    )

    store_application_key(account.key_id, b2_emulator.app_key)
    fixed = links.link(account, uploaded)
    assert fixed.problem is None and fixed.url is not None


def test_a_key_that_is_not_saved_says_so(b2_emulator: B2Emulator, links: PlaybackLinks) -> None:
    link = links.link(settings_for(b2_emulator), video())
    assert link.url is None
    assert link.problem is not None
    assert "application key for this storage account is not saved" in link.problem


def test_offline_says_so(links: PlaybackLinks) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    account = StorageSettings("key-id", "bucket", "", f"http://127.0.0.1:{port}")
    store_application_key("key-id", "app-key")
    link = links.link(account, video())
    assert link.url is None
    assert link.problem == "B2 can't be reached: this computer seems to be offline."


def test_one_sign_in_serves_many_links(
    b2_emulator: B2Emulator, uploaded: Video, links: PlaybackLinks
) -> None:
    account = settings_for(b2_emulator)
    store_application_key(account.key_id, b2_emulator.app_key)
    b2_emulator.reset_stats()
    first, second = links.link(account, uploaded), links.link(account, uploaded)
    assert first.url is not None and second.url is not None
    stats = b2_emulator.stats()
    assert stats.requests("b2_authorize_account") == 1
    assert stats.requests("b2_get_download_authorization") == 2


def test_the_url_is_kept_out_of_the_links_repr(gateway: B2Gateway, uploaded: Video) -> None:
    link = playback_link(gateway, uploaded)
    assert link.url is not None
    assert link.url not in repr(link)
    assert "Authorization" not in repr(link)
    assert repr(PlaybackLink(problem="gone")) == "PlaybackLink(problem='gone')"


@pytest.fixture(scope="module")
def upload_only_emulator_server() -> Iterator[B2Emulator]:
    config = EmulatorConfig(keys=(EmulatorConfig().master_key, UPLOAD_ONLY_KEY))
    with B2Emulator(config) as emulator:
        yield emulator


def test_a_key_without_share_files_says_what_it_lacks(
    upload_only_emulator_server: B2Emulator, links: PlaybackLinks
) -> None:
    emulator = upload_only_emulator_server
    emulator.reset()
    account = settings_for(emulator, UPLOAD_ONLY_KEY)
    store_application_key(account.key_id, UPLOAD_ONLY_KEY.app_key)
    link = links.link(account, video())
    assert link.url is None
    assert link.problem == NO_SHARE_CAPABILITY
    assert emulator.stats().requests("b2_get_download_authorization") == 0
