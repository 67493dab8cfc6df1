"""Where B2's native API versions differ in what the emulator must send.

b2sdk 2.13 speaks v4 through ``b2sdk.v3`` (and the ``b2`` command-line tool) and v3 through
``b2sdk.v2``; older tools such as Debian's rclone still speak v1. The calls are the same;
the authorize reply's layout and one field of file listings changed between versions.
"""

from __future__ import annotations

from typing import Any

SUPPORTED_VERSIONS = frozenset({1, 2, 3, 4})


def authorize_reply(
    version: int,
    *,
    account_id: str,
    auth_token: str,
    base_url: str,
    capabilities: list[str],
    buckets: list[dict[str, str | None]] | None,
    name_prefix: str | None,
    absolute_minimum_part_size: int,
    recommended_part_size: int,
) -> dict[str, Any]:
    """The body of b2_authorize_account in the layout ``version`` uses."""
    urls = {"apiUrl": base_url, "downloadUrl": base_url, "s3ApiUrl": base_url}
    sizes = {
        "absoluteMinimumPartSize": absolute_minimum_part_size,
        "recommendedPartSize": recommended_part_size,
    }
    # v1-v3 could only express a restriction to one bucket.
    single_bucket: dict[str, str | None] = buckets[0] if buckets else {"id": None, "name": None}
    if version >= 4:
        storage = {
            **urls,
            **sizes,
            "infoType": "storageApi",
            "allowed": {
                "buckets": buckets,
                "capabilities": capabilities,
                "namePrefix": name_prefix,
            },
        }
        return _with_envelope(account_id, auth_token, storage)
    if version == 3:
        storage = {
            **urls,
            **sizes,
            "infoType": "storageApi",
            "bucketId": single_bucket["id"],
            "bucketName": single_bucket["name"],
            "capabilities": capabilities,
            "namePrefix": name_prefix,
        }
        return _with_envelope(account_id, auth_token, storage)
    return {
        "accountId": account_id,
        "authorizationToken": auth_token,
        **urls,
        **sizes,
        "minimumPartSize": recommended_part_size,
        "allowed": {
            "bucketId": single_bucket["id"],
            "bucketName": single_bucket["name"],
            "capabilities": capabilities,
            "namePrefix": name_prefix,
        },
    }


def _with_envelope(account_id: str, auth_token: str, storage: dict[str, Any]) -> dict[str, Any]:
    return {
        "accountId": account_id,
        "authorizationToken": auth_token,
        "applicationKeyExpirationTimestamp": None,
        "apiInfo": {"storageApi": storage, "groupsApi": {}},
    }


def listing_reply(version: int, reply: dict[str, Any]) -> dict[str, Any]:
    """A file listing as ``version`` shapes it: v1 named a file's size ``size``."""
    if version != 1 or "files" not in reply:
        return reply
    files = [{**entry, "size": entry.get("contentLength", 0)} for entry in reply["files"]]
    return {**reply, "files": files}
