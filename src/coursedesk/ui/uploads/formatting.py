"""How upload speeds, times left and queue summaries read."""

from __future__ import annotations

from coursedesk.services.upload.queue import QueueState, QueueTotals

NO_ACCOUNT_HINT = "Uploads wait for a storage account — Settings ▸ Storage…"


def format_speed(bytes_per_s: float) -> str:
    """'48 MB/s', '512 KB/s', '1.2 MB/s'; decimal units, as file managers show sizes."""
    value = float(bytes_per_s)
    for unit in ("B/s", "KB/s", "MB/s"):
        if value < 1000:
            precise = 0 < value < 10 and unit != "B/s"
            return f"{value:.1f} {unit}" if precise else f"{value:.0f} {unit}"
        value /= 1000
    return f"{value:.1f} GB/s"


def format_eta(seconds: float | None) -> str:
    """'12 s', '4 min', '1 h 05 min'; empty when unknown."""
    if seconds is None:
        return ""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes = (total + 30) // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


def summary_text(totals: QueueTotals, message: str, *, has_account: bool) -> str:
    """The status bar's one line: 'Uploads: 3 queued · 1 running 48 MB/s · 0 failed'."""
    if totals.state is QueueState.NO_ACCOUNT:
        return f"Uploads wait: {message}" if has_account and message else NO_ACCOUNT_HINT
    running = f"{totals.running} running"
    if totals.running:
        running += f" {format_speed(totals.bytes_per_s)}"
    parts = [f"{totals.queued} queued", running]
    if totals.paused:
        parts.append(f"{totals.paused} paused")
    parts.append(f"{totals.failed} failed")
    text = "Uploads: " + " · ".join(parts)
    if totals.state is QueueState.PAUSED:
        return text + " — paused"
    if totals.state is QueueState.OFFLINE:
        return text + " — offline, continuing when the network is back"
    return text
