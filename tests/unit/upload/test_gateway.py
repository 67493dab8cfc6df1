"""The gateway over b2sdk's RawSimulator: single calls, and what each failure means."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator

import pytest
from b2sdk.v2 import exception as b2exc
from tests.support.b2_simulated import SIM_BUCKET, simulated_gateway

from coursedesk.services.upload.errors import (
    BadKey,
    BucketNotAllowed,
    MissingCapabilities,
    NoSuchBucket,
    Offline,
    Refused,
    RemoteFileGone,
    StorageFull,
    TransientProblem,
)
from coursedesk.services.upload.gateway import B2Gateway, Credentials, translate


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@pytest.fixture
def gateway() -> Iterator[B2Gateway]:
    with simulated_gateway() as opened:
        opened.authorize()
        yield opened


def test_authorize_finds_the_bucket_and_part_sizes(gateway: B2Gateway) -> None:
    facts = gateway.facts()
    assert facts.bucket_id
    assert facts.absolute_minimum_part_bytes == 200
    assert {"writeFiles", "listFiles", "deleteFiles", "listBuckets"} <= facts.capabilities


def test_small_upload_carries_its_sha1(gateway: B2Gateway) -> None:
    data = b"x" * 500
    remote = gateway.upload_small("courses/c/videos/v/a.mp4", io.BytesIO(data), 500, sha1(data))
    assert (remote.size_bytes, remote.sha1) == (500, sha1(data))
    assert gateway.get_file_info(remote.file_id) == remote


def test_large_file_parts_list_finish_and_carry_the_whole_sha1(gateway: B2Gateway) -> None:
    parts = [os.urandom(300), os.urandom(300), os.urandom(100)]
    whole = sha1(b"".join(parts))
    file_id = gateway.start_large_file("courses/c/videos/v/big.mp4", whole)
    for number, part in enumerate(parts[:2], start=1):
        gateway.upload_part(file_id, number, io.BytesIO(part), len(part), sha1(part))

    listed = gateway.list_parts(file_id)
    assert {n: p.sha1 for n, p in listed.items()} == {1: sha1(parts[0]), 2: sha1(parts[1])}
    (unfinished,) = gateway.list_unfinished_large_files("courses/")
    assert (unfinished.file_id, unfinished.large_file_sha1) == (file_id, whole)

    gateway.upload_part(file_id, 3, io.BytesIO(parts[2]), 100, sha1(parts[2]))
    remote = gateway.finish_large_file(file_id, [sha1(p) for p in parts])
    assert (remote.size_bytes, remote.sha1) == (700, whole)
    assert gateway.list_unfinished_large_files() == []


def test_cancelled_large_file_is_gone(gateway: B2Gateway) -> None:
    file_id = gateway.start_large_file("n.mp4", "0" * 40)
    gateway.cancel_large_file(file_id)
    assert gateway.list_unfinished_large_files() == []


def test_delete_all_versions_removes_every_version_and_unfinished_file(
    gateway: B2Gateway,
) -> None:
    for data in (b"one", b"two"):
        gateway.upload_small("v.mp4", io.BytesIO(data), len(data), sha1(data))
    gateway.upload_small("other.mp4", io.BytesIO(b"keep"), 4, sha1(b"keep"))
    gateway.start_large_file("v.mp4", "0" * 40)

    assert gateway.delete_all_versions("v.mp4") == 3
    assert list(gateway.versions_of("v.mp4")) == []
    assert [name for name, _ in [("other.mp4", v) for v in gateway.versions_of("other.mp4")]]


def test_expired_token_is_renewed_transparently(gateway: B2Gateway) -> None:
    simulator = gateway.raw_api
    simulator.expire_auth_token(simulator.current_token)
    data = b"after expiry"
    remote = gateway.upload_small("x.mp4", io.BytesIO(data), len(data), sha1(data))
    assert remote.sha1 == sha1(data)


def test_wrong_key_is_a_bad_key() -> None:
    with simulated_gateway(app_key="wrong") as gateway, pytest.raises(BadKey, match="key ID"):
        gateway.authorize()


def test_unknown_bucket_is_named() -> None:
    with simulated_gateway(bucket="nope") as gateway, pytest.raises(NoSuchBucket, match="nope"):
        gateway.authorize()


def _restricted_gateway(capabilities: list[str], bucket: str = SIM_BUCKET) -> B2Gateway:
    with simulated_gateway() as master:
        simulator = master.raw_api
    bucket_id = simulator.bucket_name_to_bucket[SIM_BUCKET].bucket_id
    simulator.create_bucket(
        simulator.API_URL, simulator.setup_token, "account-0", "other-bucket", "allPrivate"
    )
    key = simulator.create_key(
        simulator.API_URL,
        simulator.setup_token,
        "account-0",
        capabilities,
        "restricted",
        None,
        bucket_id,
        None,
    )
    gateway = B2Gateway(
        Credentials(key["applicationKeyId"], key["applicationKey"], bucket, "http://simulated"),
        raw_api_class=type(simulator),
    )
    # The gateway made a fresh simulator; give it the one that knows the key.
    gateway._session.raw_api = simulator
    return gateway


def test_key_restricted_to_another_bucket_is_not_allowed() -> None:
    gateway = _restricted_gateway(["listBuckets", "writeFiles"], bucket="other-bucket")
    with gateway, pytest.raises(BucketNotAllowed, match="course-bucket"):
        gateway.authorize()


def test_key_without_write_files_says_so_on_upload() -> None:
    gateway = _restricted_gateway(["listBuckets", "listFiles", "readFiles"])
    with gateway:
        gateway.authorize()
        with pytest.raises(MissingCapabilities, match="writeFiles") as caught:
            gateway.upload_small("x.mp4", io.BytesIO(b"x"), 1, sha1(b"x"))
    assert "writeFiles" in caught.value.missing


def _with_retry_after(error: b2exc.B2Error, seconds: int) -> b2exc.B2Error:
    error.retry_after_seconds = seconds
    return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (b2exc.B2ConnectionError("Connection refused"), Offline),
        (b2exc.B2ConnectionError("Failed to resolve 'api.backblazeb2.com'"), Offline),
        (b2exc.UnknownHost(), Offline),
        (b2exc.B2ConnectionError("Connection reset by peer"), TransientProblem),
        (b2exc.B2RequestTimeout("read timed out"), TransientProblem),
        (b2exc.RequestTimeout(), TransientProblem),
        (b2exc.ServiceError("503 service_unavailable"), TransientProblem),
        (b2exc.TooManyRequests(), TransientProblem),
        (b2exc.InvalidAuthToken("expired", "expired_auth_token"), TransientProblem),
        (b2exc.NonExistentBucket("b"), NoSuchBucket),
        (b2exc.RestrictedBucket("b"), BucketNotAllowed),
        (b2exc.StorageCapExceeded(), StorageFull),
        (b2exc.FileNotPresent(file_id_or_name="x"), RemoteFileGone),
        (b2exc.BadRequest("something else", "bad_request"), Refused),
    ],
)
def test_b2sdk_errors_map_to_transient_or_permanent_problems(
    error: b2exc.B2Error, kind: type[Exception]
) -> None:
    assert type(translate(error)) is kind


def test_retry_after_travels_with_the_problem() -> None:
    problem = translate(_with_retry_after(b2exc.TooManyRequests(), 7))
    assert problem.transient
    assert problem.retry_after_s == 7


def test_max_retries_wrapping_unauthorized_writefiles_is_a_missing_capability() -> None:
    inner = b2exc.Unauthorized("key lacks the capability writeFiles", "unauthorized")
    problem = translate(b2exc.MaxRetriesExceeded(5, [inner] * 5))
    assert isinstance(problem, MissingCapabilities)
    assert problem.missing == ("writeFiles",)


def test_unauthorized_while_signing_in_is_a_bad_key_and_never_shows_the_key() -> None:
    problem = translate(b2exc.Unauthorized("", "unauthorized"), authorizing=True)
    assert isinstance(problem, BadKey)
    credentials = Credentials("id", "s3cr3t-app-key", "b")
    assert "s3cr3t" not in repr(credentials)
