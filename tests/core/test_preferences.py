"""Preferences on disk: round-trip, migration, and files that cannot be trusted."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import replace
from pathlib import Path

import pytest

from docket.core.model.colours import colour_names
from docket.core.preferences import (
    SCHEMA_VERSION,
    NewerPreferencesError,
    Preferences,
    default_author,
    load_preferences,
    normalize_ocr_languages,
    preferences_path,
    save_preferences,
)


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_file_lives_in_the_tmp_config_dir_never_the_real_home(
    isolated_user_dirs: Path,
) -> None:
    path = save_preferences(Preferences(author="A. Counsel"))
    assert path == preferences_path()
    assert path.is_relative_to(isolated_user_dirs / "config")
    assert path.is_relative_to(os.environ["XDG_CONFIG_HOME"])
    assert path.name == "preferences.json"


def test_no_file_gives_defaults_with_the_os_user_as_author() -> None:
    prefs = load_preferences()
    assert prefs == Preferences()
    assert prefs.author == default_author()
    assert prefs.theme == "system" and prefs.language == "system"
    assert prefs.display_colour_names() == colour_names()
    assert prefs.export_dir(Path("/cases/x")) == Path("/cases/x/exports")


def test_round_trip_keeps_every_field() -> None:
    prefs = Preferences(
        author="Aigerim Nurlanovna",
        colour_names={"yellow": "Admission"},
        export_folder="/srv/exports",
        language="en",
        theme="dark",
    )
    path = save_preferences(prefs)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SCHEMA_VERSION
    assert load_preferences() == prefs
    assert load_preferences().display_colour_names()["yellow"] == "Admission"
    assert load_preferences().display_colour_names()["green"] == "Supports our case"
    assert not list(path.parent.glob(".preferences-*"))  # no temp file left behind


def test_a_version_1_file_is_migrated() -> None:
    write_json(
        preferences_path(),
        {
            "version": 1,
            "author_name": "Jane Doe",
            "dark_mode": True,
            "export_dir": "/out",
            "highlight_names": ["Admission", "", "Context"],
        },
    )
    prefs = load_preferences()
    assert prefs == Preferences(
        author="Jane Doe",
        colour_names={"yellow": "Admission", "blue": "Context"},
        export_folder="/out",
        theme="dark",
    )
    write_json(preferences_path(), {"version": 1, "dark_mode": None})
    assert load_preferences().theme == "system"
    write_json(preferences_path(), {"version": 1, "dark_mode": False})
    assert load_preferences().theme == "light"


def test_saving_after_migration_writes_the_current_layout() -> None:
    write_json(preferences_path(), {"version": 1, "author_name": "Jane Doe"})
    save_preferences(load_preferences())
    data = json.loads(preferences_path().read_text(encoding="utf-8"))
    assert data["version"] == SCHEMA_VERSION and data["author"] == "Jane Doe"
    assert "author_name" not in data and data["ocr_languages"] == "eng+rus"


@pytest.mark.parametrize(
    "content", ["{not json", "[1, 2]", '{"author": "x"}', '{"version": true}', "\udcff"]
)
def test_a_damaged_file_gives_defaults_and_a_warning(
    content: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = preferences_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.WARNING, "docket.core.preferences"):
        assert load_preferences() == Preferences()
    assert "preferences" in caplog.text
    save_preferences(Preferences(author="New"))  # the damaged file is kept aside, not lost
    assert path.with_name("preferences.json.damaged").read_bytes() == content.encode(
        "utf-8", "surrogateescape"
    )
    assert load_preferences().author == "New"


def test_a_newer_file_gives_defaults_and_is_not_overwritten_silently(
    caplog: pytest.LogCaptureFixture,
) -> None:
    newer = {"version": SCHEMA_VERSION + 1, "author": "Future", "theme": "sepia"}
    path = write_json(preferences_path(), newer)
    with caplog.at_level(logging.WARNING, "docket.core.preferences"):
        assert load_preferences() == Preferences()
    assert "newer" in caplog.text
    with pytest.raises(NewerPreferencesError):
        save_preferences(Preferences(author="Now"))
    assert json.loads(path.read_text(encoding="utf-8")) == newer
    save_preferences(Preferences(author="Now"), replace_newer=True)  # the user said yes
    assert load_preferences().author == "Now"


def test_invalid_values_fall_back_to_defaults(caplog: pytest.LogCaptureFixture) -> None:
    write_json(
        preferences_path(),
        {
            "version": 2,
            "author": 42,
            "theme": "sepia",
            "language": "klingon",
            "export_folder": ["not", "a", "path"],
            "colour_names": {
                "yellow": "  Admission  ",
                "teal": "Unknown key",
                "green": 7,
                "blue": "   ",
            },
        },
    )
    with caplog.at_level(logging.WARNING, "docket.core.preferences"):
        prefs = load_preferences()
    assert prefs == Preferences(colour_names={"yellow": "Admission"})
    assert "sepia" in caplog.text and "teal" in caplog.text
    write_json(preferences_path(), {"version": 2, "colour_names": "yellow"})
    assert load_preferences().colour_names == {}


def test_an_explicit_path_is_used_as_given(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "prefs.json"
    save_preferences(Preferences(theme="light"), path)
    assert load_preferences(path).theme == "light"
    assert not preferences_path().exists()


def test_a_version_2_file_gains_the_default_ocr_languages() -> None:
    write_json(preferences_path(), {"version": 2, "author": "Old", "theme": "dark"})
    prefs = load_preferences()
    assert (prefs.author, prefs.theme, prefs.ocr_languages) == ("Old", "dark", "eng+rus")
    save_preferences(replace(prefs, ocr_languages="kaz + rus"))
    assert load_preferences().ocr_languages == "kaz+rus"


def test_ocr_languages_are_tesseract_names_joined_by_plus(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert normalize_ocr_languages(" eng, rus  eng ") == "eng+rus"
    assert normalize_ocr_languages("chi_sim") == "chi_sim"
    with pytest.raises(ValueError, match="eng\\+rus"):
        normalize_ocr_languages("eng; DROP TABLE")
    write_json(preferences_path(), {"version": 3, "ocr_languages": "../../etc"})
    with caplog.at_level(logging.WARNING, "docket.core.preferences"):
        assert load_preferences().ocr_languages == "eng+rus"
    assert "OCR languages" in caplog.text
