"""The errors the core raises; each carries a message a person understands."""

from __future__ import annotations


class DocketError(Exception):
    """Base of every error the core reports to a user."""


class CaseError(DocketError):
    """The case folder is missing, not a case, or cannot be used."""


class CaseLockedError(CaseError):
    """Another Docket process is writing this case."""


class ExtractionError(DocketError):
    """A file could not be read as a document; the message is the reason."""


class PasswordRequiredError(ExtractionError):
    """An encrypted PDF whose password was not given (or was wrong)."""


class QuerySyntaxError(DocketError):
    """A search query that cannot be parsed; `position` points at the problem."""

    def __init__(self, message: str, query: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.query = query
        self.position = position

    def pointer(self) -> str:
        """The query with a caret under the offending character, for terminals."""
        if self.position is None or not self.query:
            return ""
        return f"  {self.query}\n  {' ' * self.position}^"


class Cancelled(DocketError):
    """Long work was cancelled by the user."""
