"""The entry point (docket.entry): the one place the command line meets the window."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from docket import __version__, entry
from docket.app import main as app_main
from docket.cli import starting
from docket.cli.main import main as command_line

# Runs a command through the entry point, then names every window module it loaded.
LOADED_BY_A_COMMAND = """
import sys
from docket.entry import main
code = main(["new", sys.argv[1]])
window = sorted(m for m in sys.modules if m.startswith(("docket.app", "PySide6.QtWidgets")))
print("loaded:", code, *window)
"""


def test_the_installed_command_and_python_m_docket_start_the_entry_point() -> None:
    (script,) = entry_points(group="console_scripts", name="docket")
    assert script.value == "docket.entry:main"
    run = subprocess.run(
        [sys.executable, "-m", "docket", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (run.returncode, run.stdout.strip()) == (0, f"docket {__version__}")


def test_a_command_loads_none_of_the_window(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", LOADED_BY_A_COMMAND, str(tmp_path / "case")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data")),
    )
    assert run.returncode == 0, run.stderr
    loaded = run.stdout.splitlines()[-1]
    assert loaded == "loaded: 0"  # exit code 0, and no docket.app module
    assert (tmp_path / "case" / "case.sqlite").is_file()


def test_docket_with_no_command_opens_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[Path | None, list[Path] | None]] = []
    monkeypatch.setattr(starting, "_has_display", lambda: True)
    monkeypatch.setattr(
        app_main,
        "run_window",
        lambda case=None, import_files=None: opened.append((case, import_files)) or 0,
    )
    assert entry.main([]) == 0
    assert opened == [(None, None)]


def test_the_command_line_alone_describes_the_sample_case_instead(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(starting, "_has_display", lambda: True)
    monkeypatch.setattr(app_main, "run_window", lambda *args, **kwargs: pytest.fail("a window"))
    assert command_line([]) == 0  # no window handed to it: as with no display
    out = capsys.readouterr().out
    assert out.startswith("This command line opens no window, so here is the sample case")
    assert "5 documents" in out


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("3", "3")])
def test_the_entry_point_keeps_openblas_to_one_thread_unless_the_user_says(
    given: str | None, expected: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    script = "import os\nfrom docket.entry import main\n"
    script += "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
    script += "import numpy\nprint(os.environ['OPENBLAS_NUM_THREADS'], numpy.ones(3).sum())"
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[-2:] == [expected, "3.0"]
