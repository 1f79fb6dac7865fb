"""A damaged case.sqlite: telling damage from other database errors, and saying so.

SQLite reports damage as it meets it — a page of garbage in the middle of the
file, a file cut short — with SQLITE_CORRUPT ("database disk image is
malformed"), SQLITE_NOTADB or an I/O error, on whichever statement first reads
the bad page. Those errors become one `DamagedCaseError` with one message,
whichever command or window met them; other database errors (a busy lock, a
constraint) are not damage and keep their own meaning.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docket.core.errors import CaseError

# Primary result codes (the low byte of an extended code such as SQLITE_IOERR_SHORT_READ).
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_DAMAGE_CODES = frozenset({_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_NOTADB})


class DamagedCaseError(CaseError):
    """case.sqlite cannot be read whole; `docket recover` saves what is left."""

    def __init__(self, detail: str, case: Path | str | None = None) -> None:
        self.detail = detail
        self.case = case
        super().__init__(damage_message(detail, case))


def damage_message(detail: str, case: Path | str | None = None) -> str:
    name = f'"{case}"' if case is not None and " " in str(case) else (case or "CASE")
    return f"the case database is damaged: {detail} — `docket recover {name}` can save what is left"


def is_damage(error: BaseException) -> bool:
    """Whether a database error says the file itself is damaged."""
    if isinstance(error, DamagedCaseError):
        return True
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    # No code (an error raised by the sqlite3 module itself): only its words tell.
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def as_damage(error: BaseException, case: Path | str | None = None) -> DamagedCaseError | None:
    """The DamagedCaseError for `error` if it is damage, else None."""
    if isinstance(error, DamagedCaseError):
        return error
    if is_damage(error):
        return DamagedCaseError(str(error), case)
    return None


def integrity_problems(connection: sqlite3.Connection, *, limit: int = 20) -> list[str]:
    """What SQLite's integrity check finds wrong (none for a whole database).

    A check that cannot even run (the file's first page is garbage) is itself
    the problem it reports.
    """
    try:
        rows = connection.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        return [str(error)]
    found = [str(row[0]) for row in rows]
    if found == ["ok"]:
        return []
    # One problem a line, without the "*** in database main ***" heading SQLite puts
    # before the first.
    lines = (line.strip() for text in found for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("*** in database")]
