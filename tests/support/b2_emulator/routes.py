"""Which B2 call a request path names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

CONTROL_PREFIX = "/__control__/"
UPLOAD_FILE = "b2_upload_file"
UPLOAD_PART = "b2_upload_part"
DOWNLOAD_BY_ID = "b2_download_file_by_id"
DOWNLOAD_BY_NAME = "b2_download_file_by_name"
AUTHORIZE = "b2_authorize_account"
UNKNOWN = "unknown"

# Upload URLs carry the target: /b2api/v4/b2_upload_file/<bucket id>, .../b2_upload_part/<file id>
_API_PATH = re.compile(r"/b2api/v(?P<version>\d+)/(?P<call>b2_\w+)(?:/(?P<target>[^/]+))?/?")
_FILE_PATH = re.compile(r"/file/(?P<bucket>[^/]+)/(?P<name>.+)")


@dataclass(frozen=True)
class Route:
    call: str
    version: int = 4
    target: str | None = None
    bucket_name: str | None = None
    file_name: str | None = None


def route_for(path: str) -> Route:
    api = _API_PATH.fullmatch(path)
    if api is not None:
        target = api.group("target")
        return Route(
            call=api.group("call"),
            version=int(api.group("version")),
            target=None if target is None else unquote(target),
        )
    file = _FILE_PATH.fullmatch(path)
    if file is not None:
        # Paths are percent-encoded; '+' is a literal plus here, unlike in a query string.
        return Route(
            call=DOWNLOAD_BY_NAME,
            bucket_name=unquote(file.group("bucket")),
            file_name=unquote(file.group("name")),
        )
    return Route(call=UNKNOWN)
