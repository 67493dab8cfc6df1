"""A loopback emulator of Backblaze B2's native API for end-to-end and fault tests.

An HTTP server in its own process fronts b2sdk's ``RawSimulator`` (Backblaze's own model
of B2's semantics), so real clients (b2sdk, the ``b2`` tool, rclone) talk to it as to B2.
See ``client.B2Emulator`` for use from tests and ``faults.FaultRule`` for fault injection.
"""

from .client import B2Emulator, EmulatorError
from .config import ALL_CAPABILITIES, BucketSpec, EmulatorConfig, KeySpec
from .faults import ANY_CALL, FaultKind, FaultRule
from .snapshots import CallStats, EmulatorStats, StoredFile

__all__ = [
    "ALL_CAPABILITIES",
    "ANY_CALL",
    "B2Emulator",
    "BucketSpec",
    "CallStats",
    "EmulatorConfig",
    "EmulatorError",
    "EmulatorStats",
    "FaultKind",
    "FaultRule",
    "KeySpec",
    "StoredFile",
]
