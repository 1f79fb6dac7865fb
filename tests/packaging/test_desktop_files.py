"""The desktop files in packaging/: valid for the desktop's own tools, one app id."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from docket import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / f"{APP_ID}.mime.xml"
CASE_TYPE = "application/x-docket-case"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SHARED_MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # scripts/bootstrap installs it; CI must not skip silently
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: run scripts/bootstrap")
        pytest.skip(f"{name} is not installed (scripts/bootstrap installs it)")
    return path


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_starts_docket_for_cases_and_documents() -> None:
    entry = _desktop_entry()
    assert entry["Exec"] == "docket open %F"  # see docket.cli.starting.run_open
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == APP_NAME
    assert entry["StartupWMClass"] == APP_NAME  # Qt's WM_CLASS class is the application name
    assert set(entry["Categories"].split(";")) >= {"Office", "Viewer"}
    assert set(entry["MimeType"].split(";")) >= {
        "application/pdf",
        "text/plain",
        "inode/directory",
        CASE_TYPE,
    }


def test_metainfo_names_the_app_its_entry_and_this_version() -> None:
    component = ElementTree.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == "docket"
    assert component.findtext("provides/mediatype") == CASE_TYPE
    assert component.findtext("metadata_license") == "CC0-1.0"
    assert component.findtext("project_license") == "GPL-3.0-or-later"
    versions = [release.get("version") for release in component.iterfind("releases/release")]
    assert versions[0] == __version__  # newest first, and it is this one


def test_mime_type_claims_a_cases_database_by_name() -> None:
    root = ElementTree.parse(MIME).getroot()
    assert root.tag == f"{SHARED_MIME}mime-info"
    (mime_type,) = root.iterfind(f"{SHARED_MIME}mime-type")
    assert mime_type.get("type") == CASE_TYPE
    (glob,) = mime_type.iterfind(f"{SHARED_MIME}glob")
    assert glob.get("pattern") == "case.sqlite"
    assert int(glob.get("weight", "50")) > 50  # above the sqlite3 type's *.sqlite glob
    icon = mime_type.find(f"{SHARED_MIME}icon")
    assert icon is not None and icon.get("name") == APP_ID


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_is_rendered_at_each_size(size: int) -> None:
    path = ROOT / "resources" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    image = QImage(str(path))
    assert not image.isNull(), f"missing or unreadable: {path} (run packaging/render-icons)"
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    centre = image.pixelColor(size // 2, size // 2)
    assert centre.alpha() == 255  # the page, not a transparent square


def test_install_desktop_files_puts_everything_under_prefix(tmp_path: Path) -> None:
    env = dict(os.environ, PREFIX=str(tmp_path))
    script = PACKAGING / "install-desktop-files"
    subprocess.run([str(script)], check=True, env=env, capture_output=True, timeout=120)
    share = tmp_path / "share"
    installed = {
        share / "applications" / DESKTOP.name,
        share / "metainfo" / METAINFO.name,
        share / "mime" / "packages" / f"{APP_ID}.xml",
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(share / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES),
    }
    assert all(path.is_file() for path in installed), sorted(
        p for p in installed if not p.is_file()
    )
    subprocess.run(
        [str(script), "--uninstall"], check=True, env=env, capture_output=True, timeout=120
    )
    assert not any(path.exists() for path in installed)
