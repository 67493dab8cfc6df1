"""The test side: start the emulator's server process and steer it.

    with B2Emulator() as emulator:
        api = B2Api(InMemoryAccountInfo())                      # b2sdk.v2
        api.authorize_account(emulator.realm_url, emulator.key_id, emulator.app_key)
        emulator.set_faults(FaultRule(FaultKind.SERVICE_UNAVAILABLE, "b2_upload_part", count=2))
        ...
        assert emulator.stats().requests("b2_upload_part") == ...

The server runs in its own process, so a client process killed mid-upload leaves the
server's state (finished parts, stored files) for the next client to find.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from http.client import HTTPConnection
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .config import BucketSpec, EmulatorConfig, KeySpec
from .faults import FaultRule
from .snapshots import EmulatorStats, StoredFile

# tests/support/b2_emulator/client.py -> the repository root, which holds the `tests` package.
REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
SERVER_MODULE = "tests.support.b2_emulator.server"


class EmulatorError(RuntimeError):
    """The emulator's process did not start, or a control request failed."""


class B2Emulator:
    """A loopback B2 server in a child process, and the controls tests use on it."""

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        startup_timeout_s: float = 30.0,
        log_path: Path | None = None,
    ) -> None:
        self.config = config or EmulatorConfig()
        self._startup_timeout_s = startup_timeout_s
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._port: int | None = None

    # Life cycle

    def start(self) -> B2Emulator:
        if self._process is not None:
            raise EmulatorError("the emulator is already running")
        python_path = [str(REPOSITORY_ROOT), os.environ.get("PYTHONPATH", "")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, python_path))}
        if self._log_path is not None:
            self._log_file = self._log_path.open("ab")
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                SERVER_MODULE,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--config-json",
                self.config.to_json(),
                "--exit-on-stdin-eof",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log_file,  # None: the test's own stderr, captured by pytest
            cwd=REPOSITORY_ROOT,
            env=env,
        )
        try:
            self._port = self._read_port(self._process)
        except BaseException:
            self.stop()
            raise
        return self

    def _read_port(self, process: subprocess.Popen[bytes]) -> int:
        stdout = process.stdout
        assert stdout is not None
        lines: queue.Queue[bytes] = queue.Queue()
        # A thread, because a pipe cannot be read with a timeout on every platform.
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=self._startup_timeout_s)
        except queue.Empty:
            raise EmulatorError("the B2 emulator did not report its port in time") from None
        if not line:
            raise EmulatorError(f"the B2 emulator exited at start (code {process.wait()})")
        return int(json.loads(line)["port"])

    def stop(self) -> None:
        process, self._process = self._process, None
        self._port = None
        if process is not None:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> B2Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # Where and who

    @property
    def port(self) -> int:
        if self._port is None:
            raise EmulatorError("the emulator is not running")
        return self._port

    @property
    def pid(self) -> int:
        if self._process is None:
            raise EmulatorError("the emulator is not running")
        return self._process.pid

    @property
    def realm_url(self) -> str:
        """The realm to authorize against (b2sdk's ``realm``, the CLI's B2_ENVIRONMENT)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def master_key(self) -> KeySpec:
        return self.config.master_key

    @property
    def key_id(self) -> str:
        return self.master_key.key_id

    @property
    def app_key(self) -> str:
        return self.master_key.app_key

    @property
    def bucket(self) -> BucketSpec:
        return self.config.buckets[0]

    @property
    def bucket_name(self) -> str:
        return self.bucket.name

    @property
    def bucket_id(self) -> str:
        return self.bucket.bucket_id

    def cli_environment(
        self, account_info_path: Path, key: KeySpec | None = None
    ) -> dict[str, str]:
        """Environment for the ``b2`` command-line tool: this realm, this key, its own
        account-info database (never the user's)."""
        key = key or self.master_key
        return {
            **os.environ,
            "B2_ENVIRONMENT": self.realm_url,
            "B2_APPLICATION_KEY_ID": key.key_id,
            "B2_APPLICATION_KEY": key.app_key,
            "B2_ACCOUNT_INFO": str(account_info_path),
        }

    # Controls

    def set_faults(self, *rules: FaultRule, seed: int | None = None) -> None:
        """Replace the faults in force (and reseed their RNG when ``seed`` is given)."""
        self._control("POST", "faults", {"rules": [rule.to_dict() for rule in rules], "seed": seed})

    def clear_faults(self) -> None:
        self.set_faults()

    def faults(self) -> list[dict[str, Any]]:
        """The rules in force, each with how often it has fired."""
        return list(self._control("GET", "faults")["rules"])

    def stats(self) -> EmulatorStats:
        return EmulatorStats.from_dict(self._control("GET", "stats"))

    def reset_stats(self) -> None:
        self._control("POST", "stats/reset")

    def files(self, *, with_sha1: bool = False) -> list[StoredFile]:
        """Every stored version, hide marker and unfinished large file, by bucket and name."""
        query = "?with_sha1=1" if with_sha1 else ""
        return [StoredFile.from_dict(raw) for raw in self._control("GET", f"files{query}")["files"]]

    def reset(self) -> None:
        """Back to the configured account: no files, no faults, zero counters, and every
        token handed out so far unknown."""
        self._control("POST", "reset")

    def expire_auth_tokens(self) -> None:
        """Make every token handed out so far answer 401 expired_auth_token."""
        self._control("POST", "expire_tokens")

    def _control(self, method: str, name: str, payload: dict[str, Any] | None = None) -> Any:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            body = None if payload is None else json.dumps(payload)
            connection.request(method, f"/__control__/{name}", body=body)
            response = connection.getresponse()
            reply = json.loads(response.read() or b"{}")
        finally:
            connection.close()
        if response.status != 200:
            raise EmulatorError(f"control {method} {name} failed: {reply.get('message')}")
        return reply
