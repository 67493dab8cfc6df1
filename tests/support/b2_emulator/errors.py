"""B2's error replies, and the translation of the simulator's exceptions into them.

B2 answers every failed call with ``{"status": ..., "code": ..., "message": ...}``; clients
branch on the status and code, so those must be the ones B2 sends. b2sdk warns (an error
under our strict pytest settings) on a 400 whose code it does not know, so only codes B2
documents are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from b2sdk.v3.exception import (
    AccessDenied,
    BadJson,
    BadRequest,
    ChecksumMismatch,
    DuplicateBucketName,
    FileNotPresent,
    FileSha1Mismatch,
    InvalidAuthToken,
    MissingPart,
    NonExistentBucket,
    PartSha1Mismatch,
    Unauthorized,
    UnsatisfiableRange,
    UnusableFileName,
)


@dataclass
class ApiError(Exception):
    """A B2 error reply: HTTP status, B2 code, message and any extra headers."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {"status": self.status, "code": self.code, "message": self.message}


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


SHA1_MISMATCH_MESSAGE = "Sha1 did not match data received"


def from_simulator(error: Exception) -> ApiError | None:
    """The reply B2 gives where the simulator raised ``error``; None if it has no meaning."""
    if isinstance(error, InvalidAuthToken | Unauthorized):
        return ApiError(401, error.code or "unauthorized", error.message or "not authorized")
    if isinstance(error, FileSha1Mismatch | PartSha1Mismatch):
        return bad_request(SHA1_MISMATCH_MESSAGE)
    if isinstance(error, ChecksumMismatch):
        return ApiError(400, "part_sha1_mismatch", "partSha1Array does not match the parts")
    if isinstance(error, MissingPart):
        return ApiError(400, "missing_part", f"Missing part: {error}")
    if isinstance(error, NonExistentBucket):
        return ApiError(400, "bad_bucket_id", str(error))
    if isinstance(error, FileNotPresent):
        return ApiError(400, "file_not_present", str(error))
    if isinstance(error, DuplicateBucketName):
        return ApiError(400, "duplicate_bucket_name", str(error))
    if isinstance(error, UnsatisfiableRange):
        return ApiError(416, "range_not_satisfiable", str(error))
    if isinstance(error, AccessDenied):
        return ApiError(403, "access_denied", str(error))
    if isinstance(error, BadJson):
        return ApiError(400, "bad_json", str(error))
    if isinstance(error, BadRequest):
        return ApiError(400, "bad_request", error.message)
    if isinstance(error, UnusableFileName):
        return bad_request(str(error))
    return None
