"""The passwords an import tries on encrypted PDFs: some for every file, some for one file.

    Passwords(common=("first", "second"))              each tried in turn on every PDF
    Passwords.read_file(Path("passwords.tsv"), common) names mapped to passwords

A file's own passwords (by name) are tried first, then the common ones, in
the order given. An empty password is a password like any other: it is tried
when given. A file that opens without a password never needs one.

The passwords file is UTF-8, in one of two forms:

- lines of `NAME<TAB>PASSWORD` (a name may be listed on several lines; blank
  lines and lines starting with `#` are skipped; everything after the first
  tab is the password, spaces included);
- JSON: an object `{"NAME": "PASSWORD" | ["PASSWORD", ...], ...}`.

NAME is a file's name (`statement.pdf`), or its path as given to the import
or in full; the first that matches wins.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docket.core.errors import DocketError

MAX_FILE_BYTES = 4 << 20  # a passwords file is a short list, not a data set


class PasswordsFileError(DocketError):
    """The passwords file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Passwords:
    common: tuple[str, ...] = ()
    by_name: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, password: str | Sequence[str] | Passwords | None) -> Passwords:
        """Whatever an import was given as its password(s)."""
        if isinstance(password, Passwords):
            return password
        if password is None:
            return cls()
        if isinstance(password, str):
            return cls((password,))
        return cls(tuple(password))

    @classmethod
    def read_file(cls, path: Path, common: Sequence[str] = ()) -> Passwords:
        return cls(tuple(common), read_passwords_file(path))

    def for_file(self, path: Path) -> tuple[str, ...]:
        """The passwords to try on `path`, in order, each once."""
        own: tuple[str, ...] = ()
        for key in (str(path), str(path.absolute()), path.name):
            if key in self.by_name:
                own = self.by_name[key]
                break
        return tuple(dict.fromkeys((*own, *self.common)))

    def __bool__(self) -> bool:
        return bool(self.common or self.by_name)


def read_passwords_file(path: Path) -> dict[str, tuple[str, ...]]:
    """Names mapped to their passwords, from a tab-separated or JSON file."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PasswordsFileError(f"{path}: too large for a passwords file")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise PasswordsFileError(f"{path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise PasswordsFileError(f"cannot read {path}: {error.strerror or error}") from error
    if text.lstrip().startswith("{"):
        return _from_json(path, text)
    return _from_lines(path, text)


def _from_json(path: Path, text: str) -> dict[str, tuple[str, ...]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PasswordsFileError(
            f"{path}: not valid JSON at line {error.lineno}: {error.msg}"
        ) from error
    if not isinstance(data, dict):
        raise PasswordsFileError(f"{path}: a JSON object of names and passwords was expected")
    found: dict[str, tuple[str, ...]] = {}
    for name, value in data.items():
        values = [value] if isinstance(value, str) else value
        if not name or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise PasswordsFileError(
                f"{path}: “{name}” must map to a password or a list of passwords (strings)"
            )
        found[name] = tuple(values)
    return found


def _from_lines(path: Path, text: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, tab, password = line.partition("\t")
        if not tab or not name.strip():
            raise PasswordsFileError(
                f"{path}, line {number}: expected NAME<TAB>PASSWORD (or a JSON object)"
            )
        found.setdefault(name.strip(), []).append(password)
    return {name: tuple(passwords) for name, passwords in found.items()}
