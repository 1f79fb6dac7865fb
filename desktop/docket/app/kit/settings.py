"""The window's remembered state: recent cases, geometry and panel layout.

Stored in an INI file under platformdirs' config dir (tests point it at tmp),
never inside the package or the case.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from docket import APP_NAME

MAX_RECENT = 10


class WindowSettings:
    def __init__(self) -> None:
        folder = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)

    @property
    def path(self) -> Path:
        return Path(self._settings.fileName())

    def recent_cases(self) -> list[Path]:
        value = self._settings.value("cases/recent", [])
        # QSettings gives one name back as a string, several as a list.
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [
            Path(name)
            for name in names
            if isinstance(name, str) and (Path(name) / "case.sqlite").is_file()
        ]

    def remember_case(self, path: Path) -> None:
        recent = [p for p in self.recent_cases() if p != path]
        self._settings.setValue("cases/recent", [str(p) for p in [path, *recent][:MAX_RECENT]])
        self._settings.setValue("cases/last", str(path))
        self._settings.sync()

    def last_case(self) -> Path | None:
        value = self._settings.value("cases/last", "")
        path = Path(str(value)) if value else None
        return path if path and (path / "case.sqlite").is_file() else None

    def forget_last_case(self) -> None:
        self._settings.remove("cases/last")

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)
        self._settings.sync()
