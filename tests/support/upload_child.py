"""The process the upload crash test kills: it uploads a library's videos to an emulator.

    python -m tests.support.upload_child LIBRARY REALM KEY_ID APP_KEY BUCKET PART_BYTES

Prints ``recorded <video-id> <part>`` (flushed) after each part B2 confirmed is in the
journal, and ``idle`` once everything is uploaded; then exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from tests.support.upload_harness import LibraryEditor, gateway_factory

from coursedesk.persistence.library import Library
from coursedesk.services.upload.queue import UploadQueue, UploadSettings


def main(argv: list[str]) -> int:
    library_path, realm, key_id, app_key, bucket, part_bytes = argv
    app = QCoreApplication([])
    library = Library.open(Path(library_path))
    for course in library.store.courses():
        library.open_course(course.id)

    def recorded(video_id: str, number: int) -> None:
        print(f"recorded {video_id} {number}", flush=True)

    queue = UploadQueue(
        LibraryEditor(library),
        library.database.engine,
        lambda: gateway_factory(realm, key_id, app_key, bucket),
        settings=UploadSettings(
            part_size_bytes=int(part_bytes), retry_first_delay_s=0.05, retry_cap_s=0.5
        ),
        on_part_recorded=recorded,
    )
    queue.idle.connect(app.quit)
    queue.start()
    if not queue.is_idle():
        app.exec()
    queue.shutdown()
    library.close()
    print("idle", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
