"""The loopback B2 emulator behaves like B2 for the clients we use: b2sdk, the `b2` tool, rclone.

Raw HTTP checks pin the wire format (status, B2 error code, headers) that clients branch on;
b2sdk checks show a real client's upload, listing, download and deletion paths work.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from b2sdk.v2 import B2Api
from b2sdk.v2.exception import (
    BadRequest,
    FileAlreadyHidden,
    FileNotPresent,
    MaxRetriesExceeded,
    RestrictedBucket,
    Unauthorized,
)
from tests.support.b2_emulator import (
    B2Emulator,
    BucketSpec,
    EmulatorConfig,
    FaultKind,
    FaultRule,
    KeySpec,
)
from tests.support.b2_emulator.sdk import authorized_api

OTHER_BUCKET = BucketSpec(name="other-bucket", bucket_id="bkt002")
COURSE_BUCKET = BucketSpec(name="coursedesk-test", bucket_id="bkt001")
RESTRICTED_KEY = KeySpec(
    key_id="restricted-key-id",
    app_key="restricted-app-key",
    capabilities=("listBuckets", "listFiles", "readFiles", "writeFiles", "deleteFiles"),
    bucket_names=(COURSE_BUCKET.name,),
)
READ_ONLY_KEY = KeySpec(
    key_id="read-only-key-id",
    app_key="read-only-app-key",
    capabilities=("listBuckets", "listFiles", "readFiles"),
)
PREFIX_KEY = KeySpec(key_id="prefix-key-id", app_key="prefix-app-key", name_prefix="courses/1/")
MASTER_KEY = KeySpec(key_id="master-key-id", app_key="master-app-key")
KEYS_CONFIG = EmulatorConfig(
    keys=(MASTER_KEY, RESTRICTED_KEY, READ_ONLY_KEY, PREFIX_KEY),
    buckets=(COURSE_BUCKET, OTHER_BUCKET),
)


@pytest.fixture(scope="module")
def keys_emulator_server() -> Iterator[B2Emulator]:
    with B2Emulator(KEYS_CONFIG) as emulator:
        yield emulator


@pytest.fixture
def keys_emulator(keys_emulator_server: B2Emulator) -> B2Emulator:
    keys_emulator_server.reset()
    return keys_emulator_server


def sha1_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def download_by_name(api: B2Api, bucket_name: str, file_name: str) -> bytes:
    out = io.BytesIO()
    api.get_bucket_by_name(bucket_name).download_file_by_name(file_name).save(out)
    return out.getvalue()


def download_by_id(api: B2Api, file_id: str) -> bytes:
    out = io.BytesIO()
    api.download_file_by_id(file_id).save(out)
    return out.getvalue()


# Raw HTTP: what goes over the wire


class RawClient:
    """Just enough of B2's protocol to send single requests and look at single replies."""

    def __init__(self, emulator: B2Emulator, key: KeySpec | None = None, version: int = 4) -> None:
        self.base = f"{emulator.realm_url}/b2api/v{version}"
        reply = self.authorize(self.base, key or emulator.master_key)
        assert reply.status_code == 200, reply.text
        self.authorization = reply.json()
        self.token: str = self.authorization["authorizationToken"]
        self.account_id: str = self.authorization["accountId"]

    @staticmethod
    def authorize(base: str, key: KeySpec) -> requests.Response:
        credentials = base64.b64encode(f"{key.key_id}:{key.app_key}".encode()).decode()
        return requests.get(
            f"{base}/b2_authorize_account",
            headers={"Authorization": f"Basic {credentials}"},
            timeout=10,
        )

    def call(self, name: str, **params: Any) -> requests.Response:
        return requests.post(
            f"{self.base}/{name}", headers={"Authorization": self.token}, json=params, timeout=10
        )

    def upload(
        self, bucket_id: str, name: str, data: bytes, sha1: str | None = None
    ) -> requests.Response:
        target = self.call("b2_get_upload_url", bucketId=bucket_id).json()
        headers = {
            "Authorization": target["authorizationToken"],
            "X-Bz-File-Name": name,
            "Content-Type": "b2/x-auto",
            "X-Bz-Content-Sha1": sha1 or sha1_of(data),
        }
        return requests.post(target["uploadUrl"], headers=headers, data=data, timeout=10)


def assert_b2_error(reply: requests.Response, status: int, code: str) -> None:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["message"]


# Authorization


def test_authorize_reports_realm_urls_and_configured_part_sizes(
    b2_api: B2Api, b2_emulator: B2Emulator
) -> None:
    info = b2_api.account_info
    assert info.get_api_url() == b2_emulator.realm_url
    assert info.get_download_url() == b2_emulator.realm_url
    assert info.get_absolute_minimum_part_size() == 5_000
    assert info.get_recommended_part_size() == 100_000


def test_wrong_application_key_is_unauthorized(b2_emulator: B2Emulator) -> None:
    wrong = KeySpec(key_id=b2_emulator.key_id, app_key="not-the-key")
    with pytest.raises(Unauthorized), authorized_api(b2_emulator, wrong):
        pass
    reply = RawClient.authorize(f"{b2_emulator.realm_url}/b2api/v4", wrong)
    assert_b2_error(reply, 401, "unauthorized")


def test_every_api_version_authorizes_in_its_own_layout(b2_emulator: B2Emulator) -> None:
    v1 = RawClient(b2_emulator, version=1).authorization
    v3 = RawClient(b2_emulator, version=3).authorization["apiInfo"]["storageApi"]
    v4 = RawClient(b2_emulator, version=4).authorization["apiInfo"]["storageApi"]
    assert v1["apiUrl"] == v3["apiUrl"] == v4["apiUrl"] == b2_emulator.realm_url
    assert v1["allowed"]["bucketId"] is None
    assert v3["bucketId"] is None
    assert v4["allowed"]["buckets"] is None


def test_expired_tokens_make_b2sdk_authorize_again(b2_api: B2Api, b2_emulator: B2Emulator) -> None:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    bucket.upload_bytes(b"first", "a.txt")
    b2_emulator.expire_auth_tokens()

    bucket.upload_bytes(b"second", "b.txt")

    stats = b2_emulator.stats()
    assert stats.requests("b2_authorize_account") == 2
    assert sum(call.statuses.get(401, 0) for call in stats.calls.values()) >= 1
    assert [f.file_name for f in b2_emulator.files()] == ["a.txt", "b.txt"]


def test_expired_token_answers_401_expired_auth_token(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.expire_auth_tokens()
    reply = client.call("b2_list_buckets", accountId=client.account_id)
    assert_b2_error(reply, 401, "expired_auth_token")


def test_key_restricted_to_a_bucket_cannot_use_another(keys_emulator: B2Emulator) -> None:
    with authorized_api(keys_emulator, RESTRICTED_KEY) as api:
        api.get_bucket_by_name(COURSE_BUCKET.name).upload_bytes(b"allowed", "ok.txt")
        with pytest.raises(RestrictedBucket):
            api.get_bucket_by_name(OTHER_BUCKET.name)

    client = RawClient(keys_emulator, RESTRICTED_KEY)
    assert client.authorization["apiInfo"]["storageApi"]["allowed"]["buckets"] == [
        {"id": COURSE_BUCKET.bucket_id, "name": COURSE_BUCKET.name}
    ]
    assert_b2_error(
        client.call("b2_list_file_names", bucketId=OTHER_BUCKET.bucket_id), 401, "unauthorized"
    )
    assert_b2_error(
        client.call("b2_get_upload_url", bucketId=OTHER_BUCKET.bucket_id), 401, "unauthorized"
    )


def test_key_without_write_capability_cannot_upload(keys_emulator: B2Emulator) -> None:
    with authorized_api(keys_emulator, READ_ONLY_KEY) as api:
        bucket = api.get_bucket_by_name(COURSE_BUCKET.name)
        # b2sdk retries uploads on 401 (a fresh upload URL might help), then gives up.
        with pytest.raises(MaxRetriesExceeded, match=r"lacks the capability writeFiles"):
            bucket.upload_bytes(b"nope", "nope.txt")
    assert keys_emulator.files() == []


def test_key_restricted_to_a_name_prefix_stays_inside_it(keys_emulator: B2Emulator) -> None:
    client = RawClient(keys_emulator, PREFIX_KEY)
    assert client.upload(COURSE_BUCKET.bucket_id, "courses/1/a.mp4", b"a").status_code == 200
    outside = client.upload(COURSE_BUCKET.bucket_id, "courses/2/a.mp4", b"a")
    assert_b2_error(outside, 401, "unauthorized")
    listing = client.call("b2_list_file_names", bucketId=COURSE_BUCKET.bucket_id)
    assert_b2_error(listing, 401, "unauthorized")
    inside = client.call(
        "b2_list_file_names", bucketId=COURSE_BUCKET.bucket_id, prefix="courses/1/"
    )
    assert [f["fileName"] for f in inside.json()["files"]] == ["courses/1/a.mp4"]


# Uploads, downloads, listings, deletion through b2sdk


def test_small_file_round_trips_by_id_and_by_name(b2_api: B2Api, b2_emulator: B2Emulator) -> None:
    data = b"a small course video" * 100
    version = b2_api.get_bucket_by_name(b2_emulator.bucket_name).upload_bytes(
        data, "courses/1/videos/2/intro.mp4", file_info={"title": "Intro"}
    )

    assert version.content_sha1 == sha1_of(data)
    assert version.content_type == "video/mp4"  # b2/x-auto, resolved by extension
    assert download_by_id(b2_api, version.id_) == data
    assert download_by_name(b2_api, b2_emulator.bucket_name, "courses/1/videos/2/intro.mp4") == data
    by_name = b2_api.get_bucket_by_name(b2_emulator.bucket_name).get_file_info_by_name(
        "courses/1/videos/2/intro.mp4"
    )
    assert (by_name.id_, by_name.size) == (version.id_, len(data))
    (stored,) = b2_emulator.files(with_sha1=True)
    assert (stored.file_name, stored.data_sha1, stored.file_info["title"]) == (
        "courses/1/videos/2/intro.mp4",
        sha1_of(data),
        "Intro",
    )
    assert b2_emulator.stats().requests("b2_upload_part") == 0


def test_large_file_goes_up_in_parts_and_keeps_its_sha1(
    b2_api: B2Api, b2_emulator: B2Emulator, tmp_path: Path
) -> None:
    data = os.urandom(450_000)
    source = tmp_path / "lecture.mov"
    source.write_bytes(data)

    version = b2_api.get_bucket_by_name(b2_emulator.bucket_name).upload_local_file(
        str(source), "lecture.mov"
    )

    assert version.file_info["large_file_sha1"] == sha1_of(data)
    stats = b2_emulator.stats()
    assert stats.requests("b2_upload_part") >= 4
    assert stats.bytes_received("b2_upload_part") == len(data)
    assert stats.requests("b2_finish_large_file") == 1
    assert download_by_id(b2_api, version.id_) == data
    assert download_by_name(b2_api, b2_emulator.bucket_name, "lecture.mov") == data
    (stored,) = b2_emulator.files(with_sha1=True)
    assert (stored.content_sha1, stored.data_sha1) == ("none", sha1_of(data))


def test_ranged_download_returns_the_span(b2_api: B2Api, b2_emulator: B2Emulator) -> None:
    data = bytes(range(256)) * 40
    version = b2_api.get_bucket_by_name(b2_emulator.bucket_name).upload_bytes(data, "r.bin")
    token = b2_api.account_info.get_account_auth_token()
    url = f"{b2_emulator.realm_url}/file/{b2_emulator.bucket_name}/r.bin"

    reply = requests.get(
        url, headers={"Authorization": token, "Range": "bytes=100-199"}, timeout=10
    )
    assert reply.status_code == 206
    assert reply.content == data[100:200]
    assert reply.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert reply.headers["x-bz-file-id"] == version.id_

    beyond = requests.get(
        url, headers={"Authorization": token, "Range": "bytes=99999-"}, timeout=10
    )
    assert_b2_error(beyond, 416, "range_not_satisfiable")


def test_listing_shows_newest_versions_and_deleting_all_versions_empties_the_bucket(
    b2_api: B2Api, b2_emulator: B2Emulator
) -> None:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    bucket.upload_bytes(b"v1", "videos/a.mp4")
    bucket.upload_bytes(b"v2", "videos/a.mp4")
    bucket.upload_bytes(b"b", "videos/b.mp4")

    names = [(v.file_name, v.size) for v, _folder in bucket.ls("videos", recursive=True)]
    assert names == [("videos/a.mp4", 2), ("videos/b.mp4", 1)]
    assert [folder for _v, folder in bucket.ls()] == ["videos/"]
    assert download_by_name(b2_api, b2_emulator.bucket_name, "videos/a.mp4") == b"v2"
    versions = list(bucket.list_file_versions("videos/a.mp4"))
    assert len(versions) == 2

    for version in [*versions, *bucket.list_file_versions("videos/b.mp4")]:
        b2_api.delete_file_version(version.id_, version.file_name)

    assert list(bucket.ls(recursive=True)) == []
    assert b2_emulator.files() == []


def test_hidden_file_leaves_listing_and_download_by_name(
    b2_api: B2Api, b2_emulator: B2Emulator
) -> None:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    version = bucket.upload_bytes(b"x", "gone.mp4")

    bucket.hide_file("gone.mp4")

    assert list(bucket.ls(recursive=True)) == []
    with pytest.raises(FileNotPresent):
        download_by_name(b2_api, b2_emulator.bucket_name, "gone.mp4")
    assert download_by_id(b2_api, version.id_) == b"x"
    with pytest.raises(FileAlreadyHidden):
        bucket.hide_file("gone.mp4")


def test_unfinished_large_file_can_be_listed_resumed_and_cancelled(
    b2_api: B2Api, b2_emulator: B2Emulator
) -> None:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    bucket.upload_bytes(b"old", "video.mp4")
    part = os.urandom(6_000)
    large = b2_api.services.large_file.start_large_file(
        bucket.id_, "video.mp4", "video/mp4", {"large_file_sha1": "0" * 40}
    )
    b2_api.session.upload_part(large.file_id, 1, len(part), sha1_of(part), io.BytesIO(part))

    (unfinished,) = bucket.list_unfinished_large_files()
    assert unfinished.file_id == large.file_id
    assert unfinished.file_info["large_file_sha1"] == "0" * 40
    (listed_part,) = b2_api.services.large_file.list_parts(large.file_id)
    assert (listed_part.part_number, listed_part.content_sha1) == (1, sha1_of(part))
    # An upload in progress does not hide the finished version of the same name.
    assert [v.file_name for v, _ in bucket.ls(recursive=True)] == ["video.mp4"]

    b2_api.cancel_large_file(large.file_id)

    assert list(bucket.list_unfinished_large_files()) == []
    assert [f.action for f in b2_emulator.files()] == ["upload"]


def test_part_with_wrong_sha1_is_rejected(b2_api: B2Api, b2_emulator: B2Emulator) -> None:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    large = b2_api.services.large_file.start_large_file(bucket.id_, "v.mp4", "video/mp4", {})
    part = os.urandom(6_000)

    with pytest.raises(BadRequest, match="Sha1 did not match"):
        b2_api.session.upload_part(large.file_id, 1, len(part), "0" * 40, io.BytesIO(part))

    (stored,) = b2_emulator.files()
    assert stored.part_numbers == ()


def test_simple_upload_with_wrong_sha1_is_rejected(b2_emulator: B2Emulator) -> None:
    reply = RawClient(b2_emulator).upload(b2_emulator.bucket_id, "x.bin", b"data", sha1="1" * 40)
    assert_b2_error(reply, 400, "bad_request")
    assert "Sha1 did not match" in reply.json()["message"]
    assert b2_emulator.files() == []


def test_finishing_with_a_part_below_the_minimum_size_is_rejected(
    b2_api: B2Api, b2_emulator: B2Emulator
) -> None:
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    large = b2_api.services.large_file.start_large_file(bucket.id_, "v.mp4", "video/mp4", {})
    parts = [os.urandom(1_000), os.urandom(1_000)]
    for number, part in enumerate(parts, start=1):
        b2_api.session.upload_part(
            large.file_id, number, len(part), sha1_of(part), io.BytesIO(part)
        )

    with pytest.raises(BadRequest, match="minimum part size"):
        b2_api.session.finish_large_file(large.file_id, [sha1_of(part) for part in parts])


def test_b2sdk_v3_speaks_api_v4(b2_emulator: B2Emulator) -> None:
    from b2sdk.v3 import B2Api as B2ApiV3
    from b2sdk.v3 import InMemoryAccountInfo as InMemoryAccountInfoV3

    api = B2ApiV3(InMemoryAccountInfoV3())
    try:
        api.authorize_account(b2_emulator.key_id, b2_emulator.app_key, realm=b2_emulator.realm_url)
        version = api.get_bucket_by_name(b2_emulator.bucket_name).upload_bytes(b"v4", "v4.txt")
        assert download_by_id(api, version.id_) == b"v4"
    finally:
        api.session.raw_api.b2_http.session.close()


def test_server_state_survives_a_killed_client(b2_emulator: B2Emulator, tmp_path: Path) -> None:
    script = tmp_path / "client.py"
    script.write_text(
        "import hashlib, io, os, sys\n"
        "from tests.support.b2_emulator import B2Emulator\n"
        "from b2sdk.v2 import B2Api, InMemoryAccountInfo\n"
        "realm, key_id, app_key, bucket_name = sys.argv[1:]\n"
        "api = B2Api(InMemoryAccountInfo())\n"
        "api.authorize_account(realm, key_id, app_key)\n"
        "bucket = api.get_bucket_by_name(bucket_name)\n"
        "large = api.services.large_file.start_large_file(bucket.id_, 'v.mp4', 'video/mp4', {})\n"
        "part = b'p' * 6000\n"
        "sha1 = hashlib.sha1(part).hexdigest()\n"
        "api.session.upload_part(large.file_id, 1, len(part), sha1, io.BytesIO(part))\n"
        "os.kill(os.getpid(), 9)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    args = [b2_emulator.realm_url, b2_emulator.key_id, b2_emulator.app_key, b2_emulator.bucket_name]
    result = subprocess.run([sys.executable, str(script), *args], env=env, timeout=60, check=False)

    assert result.returncode != 0
    (stored,) = b2_emulator.files()
    assert (stored.action, stored.part_numbers) == ("start", (1,))


# Faults, observed on the wire


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        (FaultKind.SERVER_ERROR, 500, "internal_error"),
        (FaultKind.SERVICE_UNAVAILABLE, 503, "service_unavailable"),
        (FaultKind.TOO_MANY_REQUESTS, 429, "too_many_requests"),
        (FaultKind.EXPIRED_TOKEN, 401, "expired_auth_token"),
    ],
)
def test_error_fault_answers_once_with_its_status_code_and_retry_after(
    b2_emulator: B2Emulator, kind: FaultKind, status: int, code: str
) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(FaultRule(kind, call="b2_list_buckets", count=1, retry_after_s=7))

    failed = client.call("b2_list_buckets", accountId=client.account_id)
    assert_b2_error(failed, status, code)
    assert failed.headers["Retry-After"] == "7"
    assert client.call("b2_list_buckets", accountId=client.account_id).status_code == 200
    assert b2_emulator.faults()[0]["fired"] == 1


def test_fault_touches_only_the_call_it_names(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(FaultRule(FaultKind.SERVICE_UNAVAILABLE, call="b2_upload_part"))
    assert client.call("b2_list_buckets", accountId=client.account_id).status_code == 200
    assert client.upload(b2_emulator.bucket_id, "a.txt", b"a").status_code == 200


def test_skip_and_count_pick_exactly_which_requests_fail(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(
        FaultRule(FaultKind.SERVICE_UNAVAILABLE, call="b2_list_buckets", skip=1, count=2)
    )
    statuses = [
        client.call("b2_list_buckets", accountId=client.account_id).status_code for _ in range(4)
    ]
    assert statuses == [200, 503, 503, 200]


def test_probability_faults_repeat_with_the_same_seed(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)

    def pattern() -> list[int]:
        b2_emulator.set_faults(
            FaultRule(FaultKind.TOO_MANY_REQUESTS, call="b2_list_buckets", probability=0.5),
            seed=1234,
        )
        return [
            client.call("b2_list_buckets", accountId=client.account_id).status_code
            for _ in range(16)
        ]

    first = pattern()
    assert set(first) == {200, 429}
    assert pattern() == first


def test_drop_mid_body_resets_the_connection_and_stores_nothing(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(
        FaultRule(FaultKind.DROP_MID_BODY, call="b2_upload_file", after_bytes=10_000)
    )

    with pytest.raises(requests.ConnectionError):
        client.upload(b2_emulator.bucket_id, "big.bin", os.urandom(2_000_000))

    assert b2_emulator.stats().bytes_received("b2_upload_file") == 10_000
    assert b2_emulator.files() == []


def test_drop_before_reply_stores_nothing(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(FaultRule(FaultKind.DROP_BEFORE_REPLY, call="b2_upload_file"))

    with pytest.raises(requests.ConnectionError):
        client.upload(b2_emulator.bucket_id, "a.bin", b"abc")

    assert b2_emulator.files() == []


def test_drop_after_processing_stores_what_the_client_never_heard_of(
    b2_emulator: B2Emulator,
) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(FaultRule(FaultKind.DROP_AFTER_PROCESSING, call="b2_upload_file"))

    with pytest.raises(requests.ConnectionError):
        client.upload(b2_emulator.bucket_id, "a.bin", b"abc")

    assert [f.file_name for f in b2_emulator.files()] == ["a.bin"]


def test_truncated_download_ends_early(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    data = os.urandom(100_000)
    assert client.upload(b2_emulator.bucket_id, "t.bin", data).status_code == 200
    b2_emulator.set_faults(
        FaultRule(FaultKind.TRUNCATE_RESPONSE, call="b2_download_file_by_name", after_bytes=1_000)
    )

    url = f"{b2_emulator.realm_url}/file/{b2_emulator.bucket_name}/t.bin"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(url, headers={"Authorization": client.token}, timeout=10)


def test_delay_slows_the_reply(b2_emulator: B2Emulator) -> None:
    client = RawClient(b2_emulator)
    b2_emulator.set_faults(FaultRule(FaultKind.DELAY, call="b2_list_buckets", delay_s=0.3))
    started = time.monotonic()
    assert client.call("b2_list_buckets", accountId=client.account_id).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_b2sdk_large_upload_survives_part_faults(
    b2_api: B2Api, b2_emulator: B2Emulator, tmp_path: Path
) -> None:
    data = os.urandom(600_000)
    source = tmp_path / "v.mp4"
    source.write_bytes(data)
    b2_emulator.set_faults(
        FaultRule(FaultKind.SERVICE_UNAVAILABLE, call="b2_upload_part", count=2, retry_after_s=0),
        FaultRule(FaultKind.DROP_MID_BODY, call="b2_upload_part", count=1),
        FaultRule(FaultKind.DROP_AFTER_PROCESSING, call="b2_upload_part", count=1),
    )

    version = b2_api.get_bucket_by_name(b2_emulator.bucket_name).upload_local_file(
        str(source), "v.mp4"
    )

    assert download_by_id(b2_api, version.id_) == data
    assert [rule["fired"] for rule in b2_emulator.faults()] == [2, 1, 1]
    assert b2_emulator.stats().requests("b2_upload_part") == 6 + 4


def test_b2sdk_resumes_a_failed_large_upload_from_its_finished_parts(
    b2_api: B2Api, b2_emulator: B2Emulator, tmp_path: Path
) -> None:
    data = os.urandom(600_000)
    source = tmp_path / "v.mp4"
    source.write_bytes(data)
    b2_emulator.set_faults(FaultRule(FaultKind.SERVICE_UNAVAILABLE, call="b2_upload_part", skip=2))
    # One part at a time, so that no part is still on its way when the upload gives up.
    with (
        authorized_api(b2_emulator, max_upload_workers=1) as failing_api,
        pytest.raises(MaxRetriesExceeded),
    ):
        failing_api.get_bucket_by_name(b2_emulator.bucket_name).upload_local_file(
            str(source), "v.mp4"
        )
    (unfinished,) = b2_emulator.files()
    assert unfinished.part_numbers == (1, 2)
    b2_emulator.clear_faults()
    b2_emulator.reset_stats()

    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    version = bucket.upload_local_file(str(source), "v.mp4")

    stats = b2_emulator.stats()
    assert stats.requests("b2_start_large_file") == 0
    assert stats.requests("b2_upload_part") == 6 - 2
    assert download_by_id(b2_api, version.id_) == data


# Other clients


def _b2_tool() -> str:
    beside_python = Path(sys.executable).with_name("b2")
    found = str(beside_python) if beside_python.exists() else shutil.which("b2")
    if found is None:
        pytest.fail("the `b2` command-line tool (PyPI package b2) is missing; ./dev test adds it")
    return found


@pytest.mark.slow
def test_b2_command_line_tool_round_trip(b2_emulator: B2Emulator, tmp_path: Path) -> None:
    b2 = _b2_tool()
    env = b2_emulator.cli_environment(tmp_path / "account_info.sqlite")
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run(*args: str) -> str:
        result = subprocess.run(
            [b2, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    small, large = os.urandom(3_000), os.urandom(450_000)
    (tmp_path / "small.bin").write_bytes(small)
    (tmp_path / "large.bin").write_bytes(large)
    bucket = b2_emulator.bucket_name

    run("account", "authorize")
    run("file", "upload", "--no-progress", bucket, "small.bin", "videos/small.bin")
    run(
        "file", "upload", "--no-progress", "--threads", "2", bucket, "large.bin", "videos/large.bin"
    )
    assert b2_emulator.stats().requests("b2_upload_part") >= 4
    assert run("ls", f"b2://{bucket}/videos/").split() == ["videos/large.bin", "videos/small.bin"]
    run("file", "download", "--no-progress", f"b2://{bucket}/videos/large.bin", "by-name.bin")
    assert (tmp_path / "by-name.bin").read_bytes() == large
    (small_file,) = [f for f in b2_emulator.files() if f.file_name == "videos/small.bin"]
    run("file", "download", "--no-progress", f"b2id://{small_file.file_id}", "by-id.bin")
    assert (tmp_path / "by-id.bin").read_bytes() == small
    run("rm", "--no-progress", "--versions", "-r", f"b2://{bucket}/videos/")
    assert b2_emulator.files() == []


@pytest.mark.slow
def test_rclone_round_trip(b2_emulator: B2Emulator, tmp_path: Path) -> None:
    rclone = shutil.which("rclone")
    if rclone is None:
        pytest.fail("rclone (Debian package rclone) is missing; ./dev test installs it")
    env = {
        **os.environ,
        "RCLONE_CONFIG_EMU_TYPE": "b2",
        "RCLONE_CONFIG_EMU_ACCOUNT": b2_emulator.key_id,
        "RCLONE_CONFIG_EMU_KEY": b2_emulator.app_key,
        "RCLONE_CONFIG_EMU_ENDPOINT": b2_emulator.realm_url,
    }
    config = tmp_path / "rclone.conf"
    config.touch()

    def run(*args: str) -> str:
        result = subprocess.run(
            [rclone, "--config", str(config), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    # rclone's smallest part is 5 MiB: 11 MB makes three parts.
    small, large = os.urandom(3_000), os.urandom(11_000_000)
    (tmp_path / "small.bin").write_bytes(small)
    (tmp_path / "large.bin").write_bytes(large)
    remote = f"emu:{b2_emulator.bucket_name}/videos"

    run("copyto", "small.bin", f"{remote}/small.bin")
    run(
        "copyto",
        "--b2-upload-cutoff",
        "5M",
        "--b2-chunk-size",
        "5M",
        "large.bin",
        f"{remote}/large.bin",
    )
    assert b2_emulator.stats().requests("b2_upload_part") == 3
    assert sorted(run("lsf", "-R", f"emu:{b2_emulator.bucket_name}").split()) == [
        "videos/",
        "videos/large.bin",
        "videos/small.bin",
    ]
    run("copyto", f"{remote}/large.bin", "back.bin")
    assert (tmp_path / "back.bin").read_bytes() == large
    run("copyto", f"{remote}/small.bin", "small-back.bin")
    assert (tmp_path / "small-back.bin").read_bytes() == small
    run("delete", "--b2-hard-delete", remote)
    assert b2_emulator.files() == []
