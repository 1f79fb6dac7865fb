"""Running `docket` in-process, as a script runs it, and keeping what it printed."""

from __future__ import annotations

import pytest

from docket.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of `docket ARGS…`."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
