"""Upload throughput, memory and resume: CourseDesk's uploader against b2sdk's upload_local_file.

    .venv/bin/python bench/upload_throughput.py [--scale 1.0]

Against the loopback B2 emulator configured like B2 (5 MB minimum part, 100 MB recommended):
one 1 GB file and 20 x 50 MB files, first with CourseDesk's upload queue (2 files x 4 parts at
once, 32 MB parts, in a child process whose RSS is sampled), then with b2sdk's
``Bucket.upload_local_file`` (one file after another, as the ``b2`` tool does, with b2sdk's
default 10 upload threads). Then the resume check: an upload of the 1 GB file is killed with
SIGKILL mid-way and run again; the part bytes B2 accepted beyond the file's size are the
re-sent bytes, to compare with the parts in flight (4 x 32 MB). ``--scale`` shrinks the files
for a quick run. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.b2_emulator import B2Emulator, EmulatorConfig, FaultKind, FaultRule  # noqa: E402
from tests.support.b2_emulator.sdk import authorized_api  # noqa: E402
from tests.support.upload_harness import make_videos_from_files  # noqa: E402

from coursedesk.persistence.library import Library  # noqa: E402

MB = 1024 * 1024
PART_BYTES = 32 * MB
PARTS_IN_FLIGHT = 4  # one large file at a time in the resume run, 4 parts at once


def write_random_file(path: Path, size: int) -> None:
    chunk = os.urandom(4 * MB)
    with path.open("wb") as file:
        left = size
        while left:
            piece = chunk[: min(len(chunk), left)]
            file.write(piece)
            left -= len(piece)
            chunk = hashlib.sha256(chunk[:64]).digest() + chunk[32:]  # differ from part to part


def child_command(library: Path, emulator: B2Emulator) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.support.upload_child",
        str(library),
        emulator.realm_url,
        emulator.key_id,
        emulator.app_key,
        emulator.bucket_name,
        str(PART_BYTES),
    ]


def run_sampled(command: list[str]) -> tuple[float, float]:
    """Run the uploader child; (seconds, peak RSS in MB)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    process = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the uploader failed with code {child.returncode}")
    return elapsed, peak / MB


def library_for(folder: Path, files: list[Path]) -> Path:
    path = folder / "library.sqlite3"
    library = Library.open(path)
    try:
        make_videos_from_files(library, files)
    finally:
        library.close()
    return path


def coursedesk_run(emulator: B2Emulator, work: Path, files: list[Path]) -> tuple[float, float]:
    emulator.reset()
    library = library_for(work / "cd", files)
    return run_sampled(child_command(library, emulator))


def b2sdk_run(emulator: B2Emulator, files: list[Path]) -> float:
    emulator.reset()
    started = time.perf_counter()
    with authorized_api(emulator) as api:
        bucket = api.get_bucket_by_name(emulator.bucket_name)
        for file in files:
            bucket.upload_local_file(str(file), f"b2sdk/{file.name}")
    return time.perf_counter() - started


def resume_run(emulator: B2Emulator, work: Path, big: Path) -> float:
    """Bytes re-sent (MB) after killing an upload of ``big`` half-way."""
    emulator.reset()
    library = library_for(work / "resume", [big])
    command = child_command(library, emulator)
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    emulator.set_faults(FaultRule(FaultKind.DELAY, "b2_upload_part", delay_s=0.2))
    child = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    parts = -(-big.stat().st_size // PART_BYTES)
    recorded = 0
    for line in child.stdout:
        if line.startswith("recorded"):
            recorded += 1
            if recorded >= parts // 2:
                child.kill()
                break
    child.wait()
    child.stdout.close()
    emulator.clear_faults()
    subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    accepted = emulator.stats().of("b2_upload_part").statuses.get(200, 0)
    return max(0, accepted - parts) * PART_BYTES / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    big_size = int(1024 * MB * args.scale)
    small_size = int(50 * MB * args.scale)
    config = EmulatorConfig(
        absolute_minimum_part_size_bytes=5 * MB, recommended_part_size_bytes=100 * MB
    )
    with tempfile.TemporaryDirectory() as tmp, B2Emulator(config) as emulator:
        work = Path(tmp)
        for sub in ("files", "cd", "resume"):
            (work / sub).mkdir()
        big = work / "files" / "course-intro.mp4"
        write_random_file(big, big_size)
        files = [big]
        for index in range(20):
            small = work / "files" / f"lesson-{index:02d}.mp4"
            write_random_file(small, small_size)
            files.append(small)
        total_mb = sum(f.stat().st_size for f in files) / MB
        cd_s, peak_mb = coursedesk_run(emulator, work, files)
        sdk_s = b2sdk_run(emulator, files)
        resent_mb = resume_run(emulator, work, big)
    cd_rate, sdk_rate = total_mb / cd_s, total_mb / sdk_s
    in_flight_mb = PARTS_IN_FLIGHT * PART_BYTES / MB
    print(
        f"uploaded {total_mb:.0f} MB (1 x {big_size / MB:.0f} MB + 20 x {small_size / MB:.0f} MB)"
    )
    print(f"{'uploader':<28}{'seconds':>10}{'MB/s':>10}")
    print(f"{'CourseDesk (child process)':<28}{cd_s:>10.1f}{cd_rate:>10.1f}")
    print(f"{'b2sdk upload_local_file':<28}{sdk_s:>10.1f}{sdk_rate:>10.1f}")
    print(f"ratio CourseDesk / b2sdk: {cd_rate / sdk_rate:.2f}")
    print(f"CourseDesk peak RSS: {peak_mb:.0f} MB")
    print(f"resume after SIGKILL re-sent {resent_mb:.0f} MB; parts in flight {in_flight_mb:.0f} MB")
    print(
        json.dumps(
            {
                "coursedesk_mb_s": round(cd_rate, 1),
                "b2sdk_mb_s": round(sdk_rate, 1),
                "ratio_vs_b2sdk": round(cd_rate / sdk_rate, 2),
                "peak_rss_mb": round(peak_mb, 1),
                "resume_resent_mb": round(resent_mb, 1),
                "parts_in_flight_mb": round(in_flight_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
