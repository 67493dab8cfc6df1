"""What an emulated B2 account looks like: its keys, its buckets and its part sizes.

The configuration travels from the test process to the server process as JSON, so every
value here is plain data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

# The capabilities a key gets when a test does not say otherwise: everything a master key has.
ALL_CAPABILITIES: tuple[str, ...] = (
    "listKeys",
    "writeKeys",
    "deleteKeys",
    "listBuckets",
    "listAllBucketNames",
    "readBuckets",
    "writeBuckets",
    "deleteBuckets",
    "readBucketEncryption",
    "writeBucketEncryption",
    "readBucketRetentions",
    "writeBucketRetentions",
    "readFileRetentions",
    "writeFileRetentions",
    "readFileLegalHolds",
    "writeFileLegalHolds",
    "readBucketReplications",
    "writeBucketReplications",
    "bypassGovernance",
    "listFiles",
    "readFiles",
    "shareFiles",
    "writeFiles",
    "deleteFiles",
    "readBucketNotifications",
    "writeBucketNotifications",
)


@dataclass(frozen=True)
class BucketSpec:
    """A bucket that exists when the server starts."""

    name: str
    bucket_id: str
    bucket_type: str = "allPrivate"


@dataclass(frozen=True)
class KeySpec:
    """An application key the server accepts.

    ``bucket_names`` restricts the key to those buckets (None: every bucket), and
    ``name_prefix`` to file names starting with it, as B2's restricted keys do.
    """

    key_id: str
    app_key: str
    capabilities: tuple[str, ...] = ALL_CAPABILITIES
    bucket_names: tuple[str, ...] | None = None
    name_prefix: str | None = None


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything the server process needs to build its account at start and on reset.

    The first key is the account's master key; the first bucket is the one tests use by
    default. Part sizes default to B2's real ones scaled down by 1000 (5 MB -> 5 kB,
    100 MB -> 100 kB) so tests exercise the large-file path with small files.
    """

    account_id: str = "emulated-account"
    keys: tuple[KeySpec, ...] = (KeySpec(key_id="emulated-key-id", app_key="emulated-app-key"),)
    buckets: tuple[BucketSpec, ...] = (BucketSpec(name="coursedesk-test", bucket_id="bkt001"),)
    absolute_minimum_part_size_bytes: int = 5_000
    recommended_part_size_bytes: int = 100_000
    fault_seed: int = 0

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("an emulated account needs at least one key")
        if self.absolute_minimum_part_size_bytes > self.recommended_part_size_bytes:
            raise ValueError("the minimum part size cannot exceed the recommended one")
        known = {bucket.name for bucket in self.buckets}
        for key in self.keys:
            unknown = set(key.bucket_names or ()) - known
            if unknown:
                raise ValueError(f"key {key.key_id} names unknown buckets: {sorted(unknown)}")

    @property
    def master_key(self) -> KeySpec:
        return self.keys[0]

    def bucket_named(self, name: str) -> BucketSpec:
        for bucket in self.buckets:
            if bucket.name == name:
                return bucket
        raise KeyError(name)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> EmulatorConfig:
        raw = json.loads(text)
        keys = tuple(
            KeySpec(
                key_id=key["key_id"],
                app_key=key["app_key"],
                capabilities=tuple(key["capabilities"]),
                bucket_names=None if key["bucket_names"] is None else tuple(key["bucket_names"]),
                name_prefix=key["name_prefix"],
            )
            for key in raw["keys"]
        )
        buckets = tuple(BucketSpec(**bucket) for bucket in raw["buckets"])
        return cls(
            account_id=raw["account_id"],
            keys=keys,
            buckets=buckets,
            absolute_minimum_part_size_bytes=raw["absolute_minimum_part_size_bytes"],
            recommended_part_size_bytes=raw["recommended_part_size_bytes"],
            fault_seed=raw["fault_seed"],
        )
