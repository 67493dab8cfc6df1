"""The user's preferences (config.json) and where the library lives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursedesk.paths import (
    DATA_DIR_ENV,
    config_file,
    data_dir,
    data_dir_overridden,
    default_data_dir,
    folder_problem,
)
from coursedesk.preferences import (
    Preferences,
    PreferencesNotSaved,
    Theme,
    ThumbnailSize,
    load_preferences,
    save_preferences,
)


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_preferences(tmp_path / "config.json") == Preferences()
    assert Preferences().theme is Theme.SYSTEM
    assert Preferences().thumbnail_size is ThumbnailSize.MEDIUM


def test_saved_preferences_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "config.json"
    chosen = Preferences(Theme.DARK, ThumbnailSize.LARGE, tmp_path / "My Courses")
    save_preferences(path, chosen)
    assert load_preferences(path) == chosen
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.json"]


@pytest.mark.parametrize(
    "text",
    ["{not json", "[1, 2]", '{"theme": "purple", "thumbnail_size": 7, "library_folder": 3}'],
)
def test_a_damaged_file_falls_back_to_the_defaults_for_what_it_spoils(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "config.json"
    path.write_text(text)
    assert load_preferences(path) == Preferences()


def test_one_bad_value_spoils_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"theme": "sepia", "thumbnail_size": "small"}))
    assert load_preferences(path) == Preferences(thumbnail_size=ThumbnailSize.SMALL)


def test_a_failed_save_says_why_and_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    save_preferences(path, Preferences(Theme.LIGHT))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(PreferencesNotSaved, match="could not save your settings"):
        save_preferences(blocked / "config.json", Preferences(Theme.DARK))
    assert load_preferences(path).theme is Theme.LIGHT


def test_the_library_folder_comes_from_the_option_the_environment_then_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert data_dir() == default_data_dir()
    chosen = tmp_path / "chosen in settings"
    save_preferences(config_file(), Preferences(library_folder=chosen))
    assert data_dir() == chosen.resolve()
    assert not data_dir_overridden()
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from env"))
    assert data_dir() == (tmp_path / "from env").resolve()
    assert data_dir(tmp_path / "from option") == (tmp_path / "from option").resolve()
    assert data_dir_overridden()


def test_the_config_file_lives_in_the_config_folder_given_by_the_environment() -> None:
    # The test suite points COURSEDESK_CONFIG_DIR at a folder of its own (conftest).
    assert config_file().name == "config.json"
    assert "config" in config_file().parent.name


def test_a_writable_folder_is_fine_and_asking_leaves_nothing_behind(tmp_path: Path) -> None:
    assert folder_problem(tmp_path) is None
    assert folder_problem(tmp_path / "not yet" / "made") is None
    assert list(tmp_path.iterdir()) == []


def test_folders_that_cannot_hold_a_library_are_named_plainly(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert "is a file, not a folder" in (folder_problem(a_file) or "")
    assert "is a file, not a folder" in (folder_problem(a_file / "inside") or "")
    assert "complete folder path" in (folder_problem(Path("relative/folder")) or "")
    assert "can't write to" in (folder_problem(Path("/proc/coursedesk-library")) or "")
