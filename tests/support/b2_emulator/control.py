"""The test-only endpoints under /__control__/: faults, counters, stored files, reset.

GET  health          {"ok": true, "pid": ...}
GET  stats           {"calls": {call: counters}, "faults": [rule + "fired"]}
POST stats/reset     zero the counters
GET  faults          {"rules": [...], "seed": ...}
POST faults          {"rules": [FaultRule as dict, ...], "seed": int | null} replaces all
GET  files           {"files": [...]}; ?with_sha1=1 adds each finished file's data SHA-1
POST reset           a fresh account as configured at start; no faults; zero counters
POST expire_tokens   every token handed out so far answers 401 expired_auth_token
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .faults import FaultRule

if TYPE_CHECKING:
    from .server import EmulatorServer


@dataclass(frozen=True)
class ControlRequest:
    method: str
    name: str
    query: str
    body: bytes

    def json(self) -> dict[str, Any]:
        payload = json.loads(self.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        return payload


def handle_control(server: EmulatorServer, request: ControlRequest) -> tuple[int, dict[str, Any]]:
    match request.method, request.name:
        case "GET", "health":
            return 200, {"ok": True, "pid": os.getpid()}
        case "GET", "stats":
            return 200, {"calls": server.stats.snapshot(), "faults": server.faults.describe()}
        case "POST", "stats/reset":
            server.stats.reset()
            return 200, {}
        case "GET", "faults":
            return 200, {"rules": server.faults.describe(), "seed": server.faults.seed}
        case "POST", "faults":
            payload = request.json()
            rules = [FaultRule.from_dict(raw) for raw in payload.get("rules", [])]
            server.faults.replace_rules(rules, seed=payload.get("seed"))
            return 200, {"rules": server.faults.describe()}
        case "GET", "files":
            with_sha1 = parse_qs(request.query).get("with_sha1", ["0"])[0] == "1"
            return 200, {"files": server.backend.stored_files(with_sha1=with_sha1)}
        case "POST", "reset":
            server.reset()
            return 200, {}
        case "POST", "expire_tokens":
            server.backend.expire_tokens()
            return 200, {}
    return 404, {"message": f"no control endpoint {request.method} {request.name}"}
