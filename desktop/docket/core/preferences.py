"""The user's preferences: a typed record, stored as versioned JSON in the config dir.

The file is `preferences.json` under platformdirs' user config dir (tests point
it at tmp). It holds only plain values that are validated on load: an unknown
theme or colour key is dropped in favour of the default, never trusted.

Schema history (each version is migrated to the next on load; the file is
rewritten in the current layout only when the user next saves):

- version 1: `{"version": 1, "author_name": str, "highlight_names": [str, ...],
  "dark_mode": true | false | null, "export_dir": str}` — the names were a
  list in colour order (yellow, green, blue, pink, orange, purple), "" for
  the default; `dark_mode` null meant "follow the system".
- version 2: `{"version": 2, "author": str, "colour_names": {key: name},
  "export_folder": str, "language": str, "theme": "system"|"light"|"dark"}`.
- version 3: adds `"ocr_languages": str`, Tesseract's languages for scanned
  pages ("eng+rus"); a version 2 file gets the default.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from docket import APP_NAME
from docket.core.model.colours import COLOUR_KEYS, colour_names

SCHEMA_VERSION = 3
FILE_NAME = "preferences.json"
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en")  # only English exists; "system" picks it for now
MAX_NAME = 60  # a colour's name is a label in menus, not a paragraph
# OCR reads English and Russian unless told otherwise: the languages of the
# case files Docket is made for (Kazakh scans are mostly Russian-language).
DEFAULT_OCR_LANGUAGES = "eng+rus"
# Tesseract's names for its traineddata: "eng", "chi_sim", "script/Latin"'s
# plain forms; joined by "+".
_OCR_LANGUAGES = re.compile(r"[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*")

log = logging.getLogger(__name__)


class NewerPreferencesError(Exception):
    """The file was written by a newer Docket; replacing it would lose its settings."""


def default_author() -> str:
    """The OS user's full name (the GECOS field on Unix), else the login name."""
    try:
        import pwd  # Unix only

        entry = pwd.getpwuid(os.getuid())
        full_name = entry.pw_gecos.split(",")[0].strip()
        return full_name or entry.pw_name
    except (ImportError, KeyError, AttributeError):
        try:
            return getpass.getuser()
        except (OSError, KeyError):  # no user name in the environment at all
            return ""


@dataclass(frozen=True)
class Preferences:
    author: str = field(default_factory=default_author)
    colour_names: dict[str, str] = field(default_factory=dict)  # only the user's own names
    export_folder: str = ""  # "" = the case's exports/ folder
    language: str = "system"
    theme: str = "system"
    ocr_languages: str = DEFAULT_OCR_LANGUAGES  # Tesseract's "eng+rus"; a document's own win

    def display_colour_names(self) -> dict[str, str]:
        """Every colour key's name as shown: the user's own where set, else the default."""
        return colour_names(self.colour_names)

    def export_dir(self, case_path: Path) -> Path:
        return Path(self.export_folder) if self.export_folder else case_path / "exports"


def preferences_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences; defaults (and a logged warning) when the file can't be used."""
    path = path or preferences_path()
    try:
        data = _read(path)
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as error:
        log.warning("Ignoring damaged preferences file %s: %s", path, error)
        return Preferences()
    version = _version(data)
    if version > SCHEMA_VERSION:
        log.warning(
            "Preferences file %s is version %s, newer than this Docket (%s); "
            "using defaults and leaving it as it is",
            path,
            version,
            SCHEMA_VERSION,
        )
        return Preferences()
    if version < 1:
        log.warning("Ignoring preferences file %s: no valid version", path)
        return Preferences()
    while version < SCHEMA_VERSION:
        data, version = MIGRATIONS[version](data), version + 1
    return _validated(data)


def save_preferences(
    prefs: Preferences, path: Path | None = None, *, replace_newer: bool = False
) -> Path:
    """Writes atomically (temp file + rename), so a crash leaves the old file or the new one.

    A file from a newer Docket is replaced only with `replace_newer`, so that
    nobody loses its settings without being asked.
    """
    path = path or preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    _protect_existing(path, replace_newer)
    text = json.dumps({"version": SCHEMA_VERSION, **asdict(prefs)}, indent=2, sort_keys=True)
    handle, temp = tempfile.mkstemp(prefix=".preferences-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def _read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _version(data: dict[str, Any]) -> int:
    """The schema version, or 0 when missing or not a whole number (JSON true is not 1)."""
    version = data.get("version")
    return version if type(version) is int else 0


def _protect_existing(path: Path, replace_newer: bool) -> None:
    try:
        data = _read(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        data = {}
    version = _version(data)
    if version < 1:  # damaged: keep it for whoever looks
        aside = path.with_name(FILE_NAME + ".damaged")
        os.replace(path, aside)
        log.warning("Moved the damaged preferences file aside to %s", aside)
    elif version > SCHEMA_VERSION and not replace_newer:
        raise NewerPreferencesError(
            f"{path} was written by a newer version of {APP_NAME} (preferences version "
            f"{version}); saving would replace settings this version does not know."
        )


def _migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Names by position become names by key; dark_mode's three states become a theme."""
    names = data.get("highlight_names")
    dark = data.get("dark_mode")
    return {
        "version": 2,
        "author": data.get("author_name", ""),
        "colour_names": {key: name for key, name in zip(COLOUR_KEYS, names, strict=False) if name}
        if isinstance(names, list)
        else {},
        "export_folder": data.get("export_dir", ""),
        "language": "system",
        "theme": "dark" if dark is True else "light" if dark is False else "system",
    }


def _migrate_v2(data: dict[str, Any]) -> dict[str, Any]:
    """OCR arrived: the default languages for scanned pages."""
    return {**data, "version": 3, "ocr_languages": DEFAULT_OCR_LANGUAGES}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _migrate_v1,
    2: _migrate_v2,
}


def normalize_ocr_languages(text: str) -> str:
    """Tesseract's form of a language list: "eng + rus", "eng,rus" and "eng rus" all
    give "eng+rus"; ValueError when it is not a list of language names."""
    names = [name for name in re.split(r"[\s,+]+", text.strip()) if name]
    joined = "+".join(dict.fromkeys(names))  # each once, in the order given
    if not _OCR_LANGUAGES.fullmatch(joined):
        raise ValueError(
            f"{text.strip() or 'nothing'!r} is not a list of OCR languages; "
            "write Tesseract's names joined by +, such as eng+rus"
        )
    return joined


def _validated(data: dict[str, Any]) -> Preferences:
    """Keeps each value that is well-formed; anything else falls back to its default."""
    defaults = Preferences()
    author = data.get("author")
    names = data.get("colour_names")
    names = names if isinstance(names, dict) else {}
    clean_names = {
        key: name.strip()[:MAX_NAME]
        for key, name in names.items()
        if key in COLOUR_KEYS and isinstance(name, str) and name.strip()
    }
    if len(clean_names) != len(names):
        log.warning(
            "Dropped unknown or empty highlight colour names: %s",
            sorted(str(key) for key in names if key not in clean_names),
        )
    folder = data.get("export_folder")
    return Preferences(
        author=author.strip() if isinstance(author, str) and author.strip() else defaults.author,
        colour_names=clean_names,
        export_folder=folder if isinstance(folder, str) else "",
        language=_choice(data, "language", LANGUAGES),
        theme=_choice(data, "theme", THEMES),
        ocr_languages=_ocr_languages(data.get("ocr_languages")),
    )


def _ocr_languages(value: object) -> str:
    if isinstance(value, str):
        try:
            return normalize_ocr_languages(value)
        except ValueError:
            pass
    log.warning("Unknown OCR languages %r in preferences; using %r", value, DEFAULT_OCR_LANGUAGES)
    return DEFAULT_OCR_LANGUAGES


def _choice(data: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = data.get(name, allowed[0])
    if value in allowed:
        return str(value)
    log.warning("Unknown %s %r in preferences; using %r", name, value, allowed[0])
    return allowed[0]
