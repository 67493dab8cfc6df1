"""The HTTP front: one request in, one B2 reply (or an injected fault) out.

Keep-alive connections stay in step only if every request body is consumed, so each path
either reads the body, discards it, or ends the connection.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import sys
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from . import routes
from .accounts import UploadKind
from .api_versions import SUPPORTED_VERSIONS
from .control import ControlRequest, handle_control
from .errors import ApiError, bad_request, not_found
from .faults import ERROR_REPLIES, FaultKind, FaultRule, with_defaults

if TYPE_CHECKING:
    from .server import EmulatorServer

READ_CHUNK_BYTES = 1 << 20


class ClientGone(ConnectionError):
    """The client closed the connection before sending its whole request."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | memoryview = b""


def _json_default(value: Any) -> Any:
    # The simulator's bucket dicts hold sets (bucket options).
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def json_reply(status: int, payload: Any, extra_headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(payload, default=_json_default).encode()
    headers = [
        ("Content-Type", "application/json;charset=utf-8"),
        ("Cache-Control", "max-age=0, no-cache, no-store"),
        ("Content-Length", str(len(body))),
        *(extra_headers or {}).items(),
    ]
    return Reply(status, headers, body)


def error_reply(error: ApiError) -> Reply:
    return json_reply(error.status, error.as_json(), error.headers)


class EmulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients' connection pools expect
    # Headers and body go out in separate writes; with Nagle's algorithm the body waits for
    # the client's delayed ACK, some 40 ms on every reply.
    disable_nagle_algorithm = True
    server: EmulatorServer
    _body_left = 0

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:
        # A line per request would drown the test output; errors go through log_error.
        return None

    def log_error(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"b2 emulator: {format % args}\n")

    # The request's life

    def _serve(self, method: str) -> None:
        try:
            if self.headers.get("Transfer-Encoding"):
                # B2 needs Content-Length on every upload; there is no body to stay in step with.
                self.close_connection = True
                self._send(
                    "unknown", error_reply(ApiError(411, "bad_request", "Content-Length required"))
                )
                return
            self._body_left = int(self.headers.get("Content-Length") or 0)
            path, _, query = self.path.partition("?")
            if path.startswith(routes.CONTROL_PREFIX):
                self._serve_control(method, path, query)
            else:
                self._serve_api(method, path, query)
        except (ConnectionError, TimeoutError):  # ClientGone included
            self._abort()

    def _serve_api(self, method: str, path: str, query: str) -> None:
        route = routes.route_for(path)
        call = route.call
        self.server.stats.request(call)
        rule = self.server.faults.pick(call)
        if rule is not None:
            self.server.stats.fault(call, rule.kind)
            if self._inject_before(rule, call):
                return
        try:
            reply = self._carry_out(method, route, query)
        except ApiError as error:
            self._discard_body(call)
            reply = error_reply(error)
        except (ConnectionError, TimeoutError):
            raise  # the client went away; nothing to answer
        except Exception:  # a bug in the emulator: say so loudly, answer like B2 would
            traceback.print_exc()
            self._discard_body(call)
            reply = error_reply(ApiError(500, "internal_error", "emulator bug, see its log"))
        if rule is not None and rule.kind is FaultKind.DROP_AFTER_PROCESSING:
            self._abort()
            return
        truncate = rule if rule is not None and rule.kind is FaultKind.TRUNCATE_RESPONSE else None
        self._send(call, reply, head_only=method == "HEAD", truncate=truncate)

    def _carry_out(self, method: str, route: routes.Route, query: str) -> Reply:
        if route.version not in SUPPORTED_VERSIONS:
            raise not_found(f"unsupported API version v{route.version}")
        backend = self.server.backend
        call = route.call
        token = self.headers.get("Authorization")
        if call == routes.AUTHORIZE:
            self._discard_body(call)
            return json_reply(200, backend.authorize_account(token, route.version))
        if call in (routes.UPLOAD_FILE, routes.UPLOAD_PART):
            return json_reply(200, self._upload(call, route, token))
        if call in (routes.DOWNLOAD_BY_ID, routes.DOWNLOAD_BY_NAME):
            params = self._params(method, query, call)
            token = token or params.get("Authorization")
            range_header = self.headers.get("Range")
            if call == routes.DOWNLOAD_BY_ID:
                where: dict[str, Any] = {"file_id": str(params.get("fileId") or "")}
            else:
                where = {"bucket_name": route.bucket_name, "file_name": route.file_name}
            download = backend.open_download(token, range_header=range_header, **where)
            return Reply(download.status, download.headers, download.body)
        if backend.is_json_call(call):
            params = self._params(method, query, call)
            return json_reply(200, backend.json_call(call, token, params, route.version))
        raise not_found(f"no such API call: {call}")

    def _upload(self, call: str, route: routes.Route, token: str | None) -> dict[str, Any]:
        if route.target is None:
            raise not_found("the upload URL names no bucket or file")
        backend = self.server.backend
        kind: UploadKind = "file" if call == routes.UPLOAD_FILE else "part"
        with backend.upload_slot(token, kind, route.target) as target:
            body = self._read_body(call)
            headers = list(self.headers.items())
            if kind == "file":
                return backend.upload_file(target, headers, body)
            return backend.upload_part(target, headers, body)

    def _params(self, method: str, query: str, call: str) -> dict[str, Any]:
        """The call's parameters: the query string of a GET, the JSON body of a POST."""
        params: dict[str, Any] = {name: values[0] for name, values in parse_qs(query).items()}
        raw = self._read_body(call)
        if method != "POST" or not raw.strip():
            return params
        try:
            body = json.loads(raw)
        except ValueError:
            raise ApiError(400, "bad_json", "the request body is not JSON") from None
        if not isinstance(body, dict):
            raise bad_request("the request body must be a JSON object")
        return {**params, **body}

    # Faults

    def _inject_before(self, rule: FaultRule, call: str) -> bool:
        """Apply the part of a fault that comes before the call; True if that was all."""
        if rule.delay_s > 0:
            time.sleep(rule.delay_s)
        kind = rule.kind
        if kind in ERROR_REPLIES:
            status, code, message = ERROR_REPLIES[kind]
            headers = {} if rule.retry_after_s is None else {"Retry-After": str(rule.retry_after_s)}
            self._discard_body(call)
            self._send(call, error_reply(ApiError(status, code, message, headers)))
            return True
        if kind is FaultKind.DROP_BEFORE_REPLY:
            self._discard_body(call)
            self._abort()
            return True
        if kind is FaultKind.DROP_MID_BODY:
            cut = with_defaults(rule, self._body_left).after_bytes
            self._read_body(call, limit=cut)
            self._abort()
            return True
        return False

    # Bodies and connections

    def _read_body(self, call: str | None, limit: int | None = None) -> bytes:
        wanted = self._body_left if limit is None else min(limit, self._body_left)
        data = self.rfile.read(wanted) if wanted else b""
        self._body_left -= len(data)
        if call is not None:
            self.server.stats.received(call, len(data))
        if len(data) < wanted:
            raise ClientGone
        return data

    def _discard_body(self, call: str) -> None:
        while self._body_left:
            self._read_body(call, limit=READ_CHUNK_BYTES)

    def _send(
        self,
        call: str | None,
        reply: Reply,
        *,
        head_only: bool = False,
        truncate: FaultRule | None = None,
    ) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        body = b"" if head_only else reply.body
        if truncate is not None:
            cut = with_defaults(truncate, len(body)).after_bytes or 0
            self.wfile.write(body[:cut])
            self._count_sent(call, reply.status, min(cut, len(body)))
            self._abort()
            return
        if body:
            self.wfile.write(body)
        self._count_sent(call, reply.status, len(body))

    def _count_sent(self, call: str | None, status: int, byte_count: int) -> None:
        if call is not None:  # control requests are not part of what a client did
            self.server.stats.sent(call, status, byte_count)

    def _abort(self) -> None:
        """End the connection with a TCP reset, as a crashed server or a broken network would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            self.connection.close()

    # Control endpoints

    def _serve_control(self, method: str, path: str, query: str) -> None:
        body = self._read_body(None)
        request = ControlRequest(method, path[len(routes.CONTROL_PREFIX) :], query, body)
        try:
            status, payload = handle_control(self.server, request)
        except (ValueError, KeyError, TypeError) as error:
            status, payload = 400, {"message": f"bad control request: {error!r}"}
        self._send(None, json_reply(status, payload))
