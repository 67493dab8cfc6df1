"""Switchable faults: which request goes wrong, and how.

A test describes faults as rules ("the next 2 b2_upload_part calls get a 503 with
Retry-After: 1"). For every API request the server asks the plan whether a rule fires; the
first rule that fires wins. Probabilities draw from one seeded RNG so a run can be repeated.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

ANY_CALL = "*"


class FaultKind(StrEnum):
    """How a request goes wrong."""

    # Close the connection (TCP reset) after reading ``after_bytes`` of the request body
    # (half of it when unset): the upload never completes, the server stores nothing.
    DROP_MID_BODY = "drop_mid_body"
    # Read the whole request, store nothing, close without a reply.
    DROP_BEFORE_REPLY = "drop_before_reply"
    # Carry the request out, then close without a reply: the client cannot know it worked.
    DROP_AFTER_PROCESSING = "drop_after_processing"
    # Send the reply's headers and only ``after_bytes`` of its body (half when unset).
    TRUNCATE_RESPONSE = "truncate_response"
    # Wait ``delay_s`` seconds, then answer normally.
    DELAY = "delay"
    SERVER_ERROR = "server_error"  # 500 internal_error
    SERVICE_UNAVAILABLE = "service_unavailable"  # 503 service_unavailable
    TOO_MANY_REQUESTS = "too_many_requests"  # 429 too_many_requests
    EXPIRED_TOKEN = "expired_token"  # 401 expired_auth_token


# The HTTP status and B2 error code each error fault answers with.
ERROR_REPLIES: dict[FaultKind, tuple[int, str, str]] = {
    FaultKind.SERVER_ERROR: (500, "internal_error", "emulated internal error"),
    FaultKind.SERVICE_UNAVAILABLE: (503, "service_unavailable", "emulated: c001 is too busy"),
    FaultKind.TOO_MANY_REQUESTS: (429, "too_many_requests", "emulated: too many requests"),
    FaultKind.EXPIRED_TOKEN: (401, "expired_auth_token", "Authorization token has expired"),
}


@dataclass(frozen=True)
class FaultRule:
    """One switchable fault.

    ``call`` is a B2 call name (``b2_upload_part``, ``b2_download_file_by_name`` ...) or
    ``"*"`` for every call. ``skip`` lets that many matching requests through first;
    ``count`` limits how often the rule fires (None: no limit); each remaining matching
    request fires it with ``probability``.
    """

    kind: FaultKind
    call: str = ANY_CALL
    probability: float = 1.0
    count: int | None = None
    skip: int = 0
    retry_after_s: int | None = None
    delay_s: float = 0.0
    after_bytes: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be within [0, 1], not {self.probability}")
        if self.count is not None and self.count < 0:
            raise ValueError("count cannot be negative")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> FaultRule:
        return cls(**{**raw, "kind": FaultKind(raw["kind"])})


@dataclass
class _RuleState:
    rule: FaultRule
    seen: int = 0
    fired: int = 0


@dataclass
class FaultPlan:
    """The rules in force and how often each has fired; safe to use from many threads."""

    seed: int = 0
    _states: list[_RuleState] = field(default_factory=list)
    _rng: random.Random = field(default_factory=random.Random)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng.seed(self.seed)

    def replace_rules(self, rules: list[FaultRule], seed: int | None = None) -> None:
        with self._lock:
            self._states = [_RuleState(rule) for rule in rules]
            if seed is not None:
                self.seed = seed
            self._rng.seed(self.seed)

    def pick(self, call: str) -> FaultRule | None:
        """The rule that fires for this request, if any, counted as fired."""
        with self._lock:
            for state in self._states:
                rule = state.rule
                if rule.call not in (ANY_CALL, call):
                    continue
                if rule.count is not None and state.fired >= rule.count:
                    continue
                state.seen += 1
                if state.seen <= rule.skip:
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                state.fired += 1
                return rule
        return None

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{**state.rule.to_dict(), "fired": state.fired} for state in self._states]


def with_defaults(rule: FaultRule, body_length: int) -> FaultRule:
    """The rule with ``after_bytes`` filled in from the size of what is being cut short."""
    if rule.after_bytes is not None:
        return rule
    return replace(rule, after_bytes=body_length // 2)
