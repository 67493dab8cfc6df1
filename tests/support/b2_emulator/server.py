"""The emulator's server process.

    python -m tests.support.b2_emulator.server [--host 127.0.0.1] [--port 0]
        [--config-json JSON] [--exit-on-stdin-eof]

Prints one JSON line, ``{"port": ..., "pid": ...}``, once it accepts connections, then
serves until killed (or, with --exit-on-stdin-eof, until its standard input closes: the
test process that started it holds that pipe, so the server ends with it even if killed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from http.server import ThreadingHTTPServer

from .backend import B2Backend
from .config import EmulatorConfig
from .faults import FaultPlan
from .handler import EmulatorHandler
from .stats import Stats


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    # Clients open many connections at once (b2sdk uploads parts in parallel).
    request_queue_size = 128

    def __init__(self, host: str, port: int, config: EmulatorConfig) -> None:
        super().__init__((host, port), EmulatorHandler)
        self.config = config
        self.base_url = f"http://{host}:{self.server_address[1]}"
        self.backend = B2Backend(config, self.base_url)
        self.faults = FaultPlan(seed=config.fault_seed)
        self.stats = Stats()

    def reset(self) -> None:
        """Start over with the configured account; requests under way finish on the old one."""
        self.backend = B2Backend(self.config, self.base_url)
        self.faults.replace_rules([], seed=self.config.fault_seed)
        self.stats.reset()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Loopback emulator of B2's native API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--config-json", default=None, help="an EmulatorConfig as JSON")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    return parser.parse_args(argv)


def _shutdown_on_stdin_eof(server: EmulatorServer) -> None:
    def wait_for_eof() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        server.shutdown()

    threading.Thread(target=wait_for_eof, name="stdin-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    config = (
        EmulatorConfig() if args.config_json is None else EmulatorConfig.from_json(args.config_json)
    )
    with EmulatorServer(args.host, args.port, config) as server:
        if args.exit_on_stdin_eof:
            _shutdown_on_stdin_eof(server)
        print(json.dumps({"port": server.server_address[1], "pid": os.getpid()}), flush=True)
        server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
