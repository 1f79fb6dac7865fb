"""The PyInstaller bundle, built by packaging/build and run as a user's machine runs it.

Slow (about 20 s to build on two cores, once per session), so marked; CI runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docket import __version__

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build"
MAX_MIB = 250  # 142 MiB when written; more means something large slipped in
NOT_WANTED = (
    "libQt6Quick",
    "libQt6Qml",
    "libQt6WebEngine",
    "libQt63D",
    "libQt6Multimedia",
    "libtk",
    "libgtk-3",
)


class Bundle:
    def __init__(self, folder: Path, seconds: float) -> None:
        self.folder = folder
        self.executable = folder / "docket"
        self.seconds = seconds
        files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
        self.mib = sum(p.stat().st_size for p in files) / 2**20  # as du counts it


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("pyinstaller is not installed: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("bundle")
    start = time.monotonic()
    result = subprocess.run(
        [str(BUILD), str(out)],
        env=dict(os.environ, PYTHON=sys.executable),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Bundle(out / "docket", time.monotonic() - start)


def _run(bundle: Bundle, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs the bundle with a fresh home and no trace of this checkout or its Python."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "XDG_", "VIRTUAL_ENV"))
    }
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        QT_QPA_PLATFORM="offscreen",
        LANG="C.UTF-8",
    )
    return subprocess.run(
        [str(bundle.executable), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_bundle_self_test_renders_the_sample_case(
    bundle: Bundle, tmp_path: Path, record_testsuite_property
) -> None:
    record_testsuite_property("bundle_mib", round(bundle.mib, 1))  # in --junitxml reports
    record_testsuite_property("bundle_build_seconds", round(bundle.seconds, 1))
    print(f"\nbundle: {bundle.folder} — {bundle.mib:.0f} MiB, built in {bundle.seconds:.0f} s")
    result = _run(bundle, tmp_path, "self-test", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    width, height = report["rendered"]
    assert width > 0 and height > 0 and report["ink"] > 0
    assert report["documents"] == 5 and report["search_hits"] > 0
    assert report["worker_pages"] > 0  # a spawned import worker ran inside the bundle
    assert Path(report["pdf"]).is_relative_to(tmp_path / "home" / "data")


@pytest.mark.slow
def test_bundle_is_the_docket_command_and_no_larger_than_it_needs(
    bundle: Bundle, tmp_path: Path
) -> None:
    result = _run(bundle, tmp_path, "--version")
    assert result.stdout.strip() == f"docket {__version__}"
    internal = bundle.folder / "_internal"
    assert (internal / "resources" / "icons" / "docket.svg").is_file()
    assert list(internal.rglob("libQt6Pdf.so*")) and list(internal.rglob("libqsvg.so"))
    unwanted = [p.name for p in internal.rglob("*.so*") if p.name.startswith(NOT_WANTED)]
    assert not unwanted
    assert bundle.mib < MAX_MIB
