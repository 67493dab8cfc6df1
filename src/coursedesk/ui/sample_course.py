"""The sample course: six short lessons in three chapters, made on this computer when asked.

Each lesson is a title card (drawn here with QPainter, on the GUI thread, one picture per
lesson) that ``media.title_clips`` turns into a clip on a worker, one clip after the other.
The clips are written into a folder ending in ``.partial`` that is renamed once every clip
is there, so a failure or a window closed halfway leaves nothing behind. The window then
imports the chapter folders like any drop, so the lessons get thumbnails, storyboards and
hashes the ordinary way.
"""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPen

from coursedesk.media import Cancelled, MediaError, RgbImage
from coursedesk.media.title_clips import CannotEncode, write_title_clip
from coursedesk.services.tasks import TaskRunner

log = logging.getLogger(__name__)

SAMPLE_COURSE_TITLE = "Sample course"
SAMPLE_FOLDER_NAME = "Sample course"
PARTIAL_SUFFIX = ".partial"
CLIP_WIDTH = 640
CLIP_HEIGHT = 360
CLIP_FPS = 25


@dataclass(frozen=True, slots=True)
class SampleLesson:
    title: str
    line: str
    seconds: float


@dataclass(frozen=True, slots=True)
class SampleChapter:
    title: str
    # The card's colours: top and bottom of its background.
    top: str
    bottom: str
    lessons: tuple[SampleLesson, ...]


SAMPLE_CHAPTERS = (
    SampleChapter(
        "Getting started",
        "#2a5bb8",
        "#17336b",
        (
            SampleLesson("Welcome", "A small course to try CourseDesk with", 3.0),
            SampleLesson(
                "Chapters and the library", "The outline on the left, every video on the right", 4.0
            ),
        ),
    ),
    SampleChapter(
        "Basics",
        "#1f8a78",
        "#0f4a40",
        (
            SampleLesson("Reordering lessons", "Drag them, or press Alt+Up and Alt+Down", 3.0),
            SampleLesson("Quick look", "Select a video and press Space", 2.0),
            SampleLesson("Undo anything", "Every edit is saved at once; Ctrl+Z takes it back", 3.0),
        ),
    ),
    SampleChapter(
        "Sharing your course",
        "#a2532a",
        "#5a2a12",
        (SampleLesson("Uploads", "Videos go to Backblaze B2 in the background", 3.0),),
    ),
)


def lesson_count() -> int:
    return sum(len(chapter.lessons) for chapter in SAMPLE_CHAPTERS)


def chapter_folder_name(number: int, chapter: SampleChapter) -> str:
    # The number orders the folders; the import takes it off the chapter's title.
    return f"{number} {chapter.title}"


def clip_file_name(number: int, lesson: SampleLesson) -> str:
    return f"{number:02d} {lesson.title}.mp4"


def free_folder(base: Path) -> Path:
    """A folder name under ``base`` that neither exists nor is being written."""
    for n in range(1, 10_000):
        name = SAMPLE_FOLDER_NAME if n == 1 else f"{SAMPLE_FOLDER_NAME} {n}"
        candidate = base / name
        partial_folder = candidate.with_name(candidate.name + PARTIAL_SUFFIX)
        if not candidate.exists() and not partial_folder.exists():
            return candidate
    raise FileExistsError(f"Too many sample courses in {base}")


def render_card(
    chapter: SampleChapter, chapter_number: int, lesson: SampleLesson, number: int, total: int
) -> RgbImage:
    """The title card of one lesson, as packed RGB."""
    image = QImage(CLIP_WIDTH, CLIP_HEIGHT, QImage.Format.Format_RGB888)
    area = QRectF(0, 0, CLIP_WIDTH, CLIP_HEIGHT)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        gradient = QLinearGradient(area.topLeft(), area.bottomRight())
        gradient.setColorAt(0.0, QColor(chapter.top))
        gradient.setColorAt(1.0, QColor(chapter.bottom))
        painter.fillRect(area, gradient)
        # A soft ring in the corner, so the card is not only a gradient.
        painter.setPen(QPen(QColor(255, 255, 255, 28), 26))
        painter.drawEllipse(QRectF(CLIP_WIDTH - 230, -120, 360, 360))

        margin = 44.0
        white = QColor(255, 255, 255)
        faint = QColor(255, 255, 255, 190)
        painter.setPen(faint)
        painter.setFont(_font(15, QFont.Weight.DemiBold, spacing=1.5))
        painter.drawText(
            QRectF(margin, 48, CLIP_WIDTH - 2 * margin, 30),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"CHAPTER {chapter_number} · {chapter.title.upper()}",
        )
        painter.setPen(white)
        painter.setFont(_font(40, QFont.Weight.Bold))
        title_box = QRectF(margin, 96, CLIP_WIDTH - 2 * margin, 130)
        painter.drawText(
            title_box,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
            lesson.title,
        )
        painter.setPen(faint)
        painter.setFont(_font(18, QFont.Weight.Normal))
        painter.drawText(
            QRectF(margin, 232, CLIP_WIDTH - 2 * margin, 56),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            lesson.line,
        )
        painter.setFont(_font(13, QFont.Weight.Medium))
        footer = QRectF(margin, CLIP_HEIGHT - 54, CLIP_WIDTH - 2 * margin, 24)
        painter.drawText(
            footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "CourseDesk sample"
        )
        painter.drawText(
            footer,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"Lesson {number} of {total}",
        )
    finally:
        painter.end()
    return _packed_rgb(image)


def _font(pixels: int, weight: QFont.Weight, spacing: float = 0.0) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setWeight(weight)
    if spacing:
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, spacing)
    return font


def _packed_rgb(image: QImage) -> RgbImage:
    width, height = image.width(), image.height()
    row_bytes = width * 3
    stride = image.bytesPerLine()
    data = bytes(image.constBits())
    if stride != row_bytes:
        data = b"".join(data[r * stride : r * stride + row_bytes] for r in range(height))
    return RgbImage(width, height, data[: row_bytes * height])


@dataclass(frozen=True, slots=True)
class _Clip:
    """One lesson's file (inside the partial folder) and what its card shows."""

    path: Path
    chapter: SampleChapter
    chapter_number: int
    lesson: SampleLesson


class SampleCourseMaker(QObject):
    """Writes the sample course's clips in the background, one after the other.

    ``progress(done, total)`` after each clip; ``made(chapter_folders)`` when all are
    there; ``failed(message)`` with a sentence for the instructor when something went
    wrong (and nothing is left on disk). ``cancel()`` stops quietly.
    """

    progress = Signal(int, int)
    made = Signal(list)  # list[Path]: the chapter folders, in order
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._cancel = threading.Event()
        self._busy = False
        self._folder: Path | None = None
        self._clips: list[_Clip] = []
        self._done = 0

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def total(self) -> int:
        return lesson_count()

    def start(self, base: Path) -> bool:
        """Make the sample course's clips under ``base``; False if already making them."""
        if self._busy:
            return False
        self._busy = True
        self._cancel = threading.Event()
        self._done = 0
        try:
            final = free_folder(base)
        except OSError as exc:
            self._fail(exc, None)
            return True
        self._folder = final
        work_folder = final.with_name(final.name + PARTIAL_SUFFIX)
        self._clips = []
        for chapter_number, chapter in enumerate(SAMPLE_CHAPTERS, start=1):
            folder = work_folder / chapter_folder_name(chapter_number, chapter)
            for lesson in chapter.lessons:
                path = folder / clip_file_name(len(self._clips) + 1, lesson)
                self._clips.append(_Clip(path, chapter, chapter_number, lesson))
        self._next()
        return True

    def cancel(self) -> None:
        """Stop making clips; what was written is removed, and nothing is reported."""
        self._cancel.set()

    # ------------------------------------------------------------------ steps

    def _next(self) -> None:
        if self._done == len(self._clips):
            self._runner.run(self._finish_work, self._finished, self._step_failed)
            return
        clip = self._clips[self._done]
        # Drawn here: fonts belong to the GUI thread. One card is a few milliseconds.
        card = render_card(
            clip.chapter, clip.chapter_number, clip.lesson, self._done + 1, len(self._clips)
        )
        cancelled = self._cancel
        work = partial(_write_clip, clip.path, card, clip.lesson.seconds, cancelled)
        self._runner.run(work, partial(self._clip_written, cancelled), self._step_failed)

    def _clip_written(self, cancelled: threading.Event, _path: Path) -> None:
        if cancelled.is_set():
            self._give_up()
            return
        self._done += 1
        self.progress.emit(self._done, len(self._clips))
        self._next()

    def _finish_work(self) -> list[Path]:
        assert self._folder is not None
        if self._cancel.is_set():
            raise Cancelled()
        work_folder = self._folder.with_name(self._folder.name + PARTIAL_SUFFIX)
        work_folder.rename(self._folder)
        return sorted(p for p in self._folder.iterdir() if p.is_dir())

    def _finished(self, folders: list[Path]) -> None:
        self._busy = False
        if self._cancel.is_set():
            self._remove(self._folder)
            return
        log.info("sample course written to %s", self._folder)
        self.made.emit(folders)

    def _step_failed(self, exc: BaseException) -> None:
        if self._cancel.is_set() or isinstance(exc, Cancelled):
            self._give_up()
            return
        self._fail(exc, self._folder)

    def _give_up(self) -> None:
        self._busy = False
        if self._folder is not None:
            self._remove(self._folder.with_name(self._folder.name + PARTIAL_SUFFIX))

    def _fail(self, exc: BaseException, folder: Path | None) -> None:
        log.warning("could not make the sample course", exc_info=exc)
        self._busy = False
        if folder is not None:
            self._remove(folder.with_name(folder.name + PARTIAL_SUFFIX))
        self.failed.emit(failure_message(exc))

    @staticmethod
    def _remove(folder: Path | None) -> None:
        if folder is not None and folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def _write_clip(path: Path, card: RgbImage, seconds: float, cancelled: threading.Event) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_title_clip(
        path, card, seconds=seconds, fps=CLIP_FPS, is_cancelled=cancelled.is_set
    )


def failure_message(exc: BaseException) -> str:
    """Why the sample course could not be made, for the instructor."""
    if isinstance(exc, MediaError | CannotEncode):
        reason = str(exc)
    elif isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        reason = f"{exc.strerror or exc}{where}"
    else:
        reason = str(exc) or type(exc).__name__
    return (
        f"CourseDesk couldn't make the sample course: {reason.rstrip('.')}. "
        "Nothing was added to your library."
    )
