"""The Uploads panel's table: one row per upload job, with its video, progress, speed and
time left.

Rows follow the queue's signals: ``job_changed`` inserts or updates one row, ``progress``
changes only the progress, speed and time-left cells of the jobs that moved. Finished jobs
stay listed until "Clear Finished". The video column names the video by its title, with its
course and chapter under it (``PlaceRole``); they are looked up when a row is shown, so a
rename or a move shows at once and thousands of rows cost nothing until they are seen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from coursedesk.domain.model import VideoStatus
from coursedesk.persistence.uploads import JobRecord, JobState
from coursedesk.services.upload.queue import JobProgress, UploadQueue
from coursedesk.ui.format import format_size
from coursedesk.ui.icons import status_icon
from coursedesk.ui.uploads.formatting import format_eta, format_speed
from coursedesk.ui.uploads.job_places import JobPlace, JobPlaces

AnyIndex = QModelIndex | QPersistentModelIndex

VideoIdRole = Qt.ItemDataRole.UserRole + 1
JobStateRole = Qt.ItemDataRole.UserRole + 2
# 0.0 to 1.0 (None: nothing to show), for the progress column's delegate.
FractionRole = Qt.ItemDataRole.UserRole + 3
# The video column's second line: "Course ▸ Chapter" ("Course · unassigned").
PlaceRole = Qt.ItemDataRole.UserRole + 4


class Column(IntEnum):
    VIDEO = 0
    PROGRESS = 1
    SPEED = 2
    ETA = 3
    STATE = 4


_HEADERS = {
    Column.VIDEO: "Video",
    Column.PROGRESS: "Progress",
    Column.SPEED: "Speed",
    Column.ETA: "Time left",
    Column.STATE: "State",
}

STATE_LABELS = {
    JobState.QUEUED: "Queued",
    JobState.RUNNING: "Uploading",
    JobState.PAUSED: "Paused",
    JobState.FAILED: "Failed",
    JobState.CANCELLED: "Cancelled",
    JobState.DONE: "Uploaded",
}

_STATE_ICONS = {
    JobState.QUEUED: VideoStatus.QUEUED,
    JobState.RUNNING: VideoStatus.UPLOADING,
    JobState.PAUSED: VideoStatus.QUEUED,
    JobState.FAILED: VideoStatus.FAILED,
    JobState.CANCELLED: VideoStatus.READY,
    JobState.DONE: VideoStatus.UPLOADED,
}

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True, slots=True)
class JobRow:
    video_id: str
    course_id: str
    file_name: str
    size_bytes: int
    state: JobState
    message: str
    bytes_done: int = 0
    bytes_per_s: float = 0.0
    eta_s: float | None = None

    @property
    def fraction(self) -> float | None:
        if self.state is JobState.DONE:
            return 1.0
        if self.size_bytes <= 0 or (self.bytes_done <= 0 and self.state is not JobState.RUNNING):
            return None
        return min(1.0, self.bytes_done / self.size_bytes)


def _row_for(job: JobRecord) -> JobRow:
    return JobRow(
        video_id=job.video_id,
        course_id=job.course_id,
        file_name=Path(job.source_path).name,
        size_bytes=job.size_bytes,
        state=job.state,
        message=job.error or "",
    )


class UploadJobsModel(QAbstractTableModel):
    """Upload jobs of every course, in the order they were queued."""

    def __init__(
        self, queue: UploadQueue, places: JobPlaces, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self._places = places
        self._rows: list[JobRow] = []
        self._row_of: dict[str, int] = {}
        for job in queue.jobs().values():
            if job.state is not JobState.DONE:
                self._append(_row_for(job))
        queue.job_changed.connect(self._job_changed)
        queue.progress.connect(self._progress)
        places.changed.connect(self._places_changed)

    # ------------------------------------------------------------------ lookups

    def job(self, row: int) -> JobRow:
        return self._rows[row]

    def row_of(self, video_id: str) -> int | None:
        return self._row_of.get(video_id)

    def video_ids(self) -> list[str]:
        return [row.video_id for row in self._rows]

    def place(self, row: int) -> JobPlace | None:
        """Where the row's video belongs (None: not known yet, or the video is gone)."""
        job = self._rows[row]
        return self._places.place(job.video_id, job.course_id)

    def title(self, row: int) -> str:
        """The row's video title; its file name while that is not known."""
        place = self.place(row)
        return place.title if place is not None else self._rows[row].file_name

    def where(self, row: int) -> str:
        """'Course ▸ Chapter' for the row's video (the course alone while that is read)."""
        place = self.place(row)
        if place is not None:
            return place.where()
        return self._places.course_title(self._rows[row].course_id)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (Column.SPEED, Column.ETA):
            return _RIGHT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == VideoIdRole:
            return row.video_id
        if role == JobStateRole:
            return row.state
        if role == FractionRole:
            return row.fraction
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row())
        if column is Column.VIDEO:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.title(index.row())
            if role == PlaceRole:
                return self.where(index.row())
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{self.title(index.row())}, {self.where(index.row())}"
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATE:
            return status_icon(_STATE_ICONS[row.state])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.SPEED, Column.ETA):
            return _RIGHT
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        return self._text(row, column)

    @staticmethod
    def _text(row: JobRow, column: Column) -> str:
        running = row.state is JobState.RUNNING
        if column is Column.PROGRESS:
            fraction = row.fraction
            size = format_size(row.size_bytes)
            if fraction is None:
                return size
            if row.state is JobState.DONE:
                return size
            return f"{fraction:.0%} · {format_size(row.bytes_done)} of {size}"
        if column is Column.SPEED:
            return format_speed(row.bytes_per_s) if running and row.bytes_per_s > 0 else ""
        if column is Column.ETA:
            return format_eta(row.eta_s) if running else ""
        label = STATE_LABELS[row.state]
        return f"{label}: {row.message}" if row.state is JobState.FAILED and row.message else label

    def _tooltip(self, at: int) -> str:
        row = self._rows[at]
        label = STATE_LABELS[row.state]
        lines = [self.title(at), self.where(at), f"File: {row.file_name}", label]
        if row.message:
            lines.append(row.message)
        return "\n".join(line for line in lines if line)

    # ------------------------------------------------------------------ following the queue

    def _append(self, row: JobRow) -> None:
        self._row_of[row.video_id] = len(self._rows)
        self._rows.append(row)

    def _job_changed(self, video_id: str, state: str, message: str) -> None:
        at = self._row_of.get(video_id)
        job_state = JobState(state)
        if at is None:
            job = self._queue.job(video_id)
            if job is None:
                return
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._append(replace(_row_for(job), state=job_state, message=message))
            self.endInsertRows()
            return
        old = self._rows[at]
        keep_bytes = job_state in (JobState.RUNNING, JobState.PAUSED, JobState.QUEUED)
        self._rows[at] = replace(
            old,
            state=job_state,
            message=message,
            bytes_done=old.bytes_done if keep_bytes else 0,
            bytes_per_s=0.0,
            eta_s=None,
        )
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(Column) - 1))

    def _progress(self, reports: tuple[JobProgress, ...]) -> None:
        first = last = None
        for report in reports:
            at = self._row_of.get(report.video_id)
            if at is None:
                continue
            self._rows[at] = replace(
                self._rows[at],
                bytes_done=report.bytes_done,
                size_bytes=report.bytes_total or self._rows[at].size_bytes,
                bytes_per_s=report.bytes_per_s,
                eta_s=report.eta_s,
            )
            first = at if first is None else min(first, at)
            last = at if last is None else max(last, at)
        if first is not None and last is not None:
            # Running jobs sit close together; one range keeps the signal count down.
            self.dataChanged.emit(self.index(first, Column.PROGRESS), self.index(last, Column.ETA))

    def _places_changed(self) -> None:
        if self._rows:
            # One range for the column: the view repaints only the rows it shows.
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, Column.VIDEO),
                self.index(last, Column.VIDEO),
                [Qt.ItemDataRole.DisplayRole, PlaceRole, Qt.ItemDataRole.ToolTipRole],
            )

    def clear_finished(self) -> None:
        """Forget the rows of uploaded and cancelled jobs."""
        keep = [r for r in self._rows if r.state not in (JobState.DONE, JobState.CANCELLED)]
        if len(keep) == len(self._rows):
            return
        self.beginResetModel()
        self._rows = []
        self._row_of = {}
        for row in keep:
            self._append(row)
        self.endResetModel()
