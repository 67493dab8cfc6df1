"""Clips shared by the media tests, generated once per test session (each takes ~0.1 s)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.support import clips


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def clip_with_suffix(clip_dir: Path) -> Callable[[str], Path]:
    """A standard 2 s 320x240 25 fps clip with sound, in the container the suffix names."""
    made: dict[str, Path] = {}

    def make(suffix: str) -> Path:
        if suffix not in made:
            made[suffix] = clips.make_clip(clip_dir / f"standard{suffix}")
        return made[suffix]

    return make


@pytest.fixture(scope="session")
def mp4_clip(clip_with_suffix: Callable[[str], Path]) -> Path:
    return clip_with_suffix(".mp4")


@pytest.fixture(scope="session")
def silent_clip(clip_dir: Path) -> Path:
    return clips.make_clip(clip_dir / "silent.mp4", audio=False)


@pytest.fixture(scope="session")
def portrait_clip(clip_dir: Path) -> Path:
    """Recorded like a phone held upright: stored 320x240 with a 90° display rotation."""
    return clips.make_clip(clip_dir / "portrait.mp4", rotation_deg=90)


@pytest.fixture(scope="session")
def noisy_clip(clip_dir: Path) -> Path:
    """Random pixels: incompressible, so a very high bit rate for its size (about 5 MB)."""
    return clips.make_clip(
        clip_dir / "noisy.mp4", seconds=4.0, width=160, height=120, noise=True, keyframe_interval=25
    )


@pytest.fixture(scope="session", params=[".mp4", ".mkv"])
def long_clip(request: pytest.FixtureRequest, clip_dir: Path) -> Path:
    """16 s of tiny incompressible frames with a keyframe every second (about 2 MB).

    Long next to the few seconds probing and thumbnailing should touch, yet quick to encode.
    """
    return clips.make_clip(
        clip_dir / f"long{request.param}",
        seconds=16.0,
        width=96,
        height=72,
        noise=True,
        keyframe_interval=25,
        audio=False,
    )
