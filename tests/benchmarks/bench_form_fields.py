"""Form fields on real PDFs: is the filled text found by search? Run by hand, not in CI.

    .venv/bin/python tests/benchmarks/bench_form_fields.py /tmp/docket-real-pdfs/pdf

Finds the PDFs with a filled AcroForm field (pypdf's `get_fields()`: a value
that is not empty, not "Off"), then for each:
- *lost before*: a filled value whose words are not in QtPdf's page text
  (what Docket stored and searched before form fields);
- *found now*: every such value found by `search` in that document as a
  field hit (a phrase of the value's first words), after a real import.
Prints per file and the totals.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from docket.core.case import Case
from docket.core.search.analysis import page_terms

_WORD = re.compile(r"\w+")


def reference_values(path: Path) -> dict[str, str]:
    """Filled values as pypdf sees them (name → value), independent of Docket's reader."""
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    root = reader.trailer.get("/Root")
    if root is None or "/AcroForm" not in root.get_object():
        return {}
    found = {}
    for name, field in (reader.get_fields() or {}).items():
        if field.get("/FT") in ("/Sig", None):
            continue
        value = field.get("/V")
        # A list shows an option's display name where /Opt pairs it with an export value.
        shown = {str(o[0]): str(o[1]) for o in field.get("/Opt") or [] if isinstance(o, list)}
        chosen = value if isinstance(value, list) else [value]
        text = ", ".join(shown.get(str(v), str(v)).lstrip("/") for v in chosen if v is not None)
        if text.strip() and text != "Off" and _WORD.search(text):
            found[name] = text
    return found


def terms(text: str) -> list[str]:
    return [term for term, _, _ in page_terms(text)]


def main(folder: Path) -> None:
    started = time.perf_counter()
    forms: dict[Path, dict[str, str]] = {}
    for path in sorted(folder.glob("*.pdf")):
        try:
            values = reference_values(path)
        except Exception as error:  # a file pypdf cannot read has no form for this count
            print(f"  skipped {path.name}: {type(error).__name__}", file=sys.stderr)
            continue
        if values:
            forms[path] = values
    print(f"{len(forms)} PDFs with filled form fields ({time.perf_counter() - started:.1f} s)")
    lost_files = found_files = lost_values = found_values = 0
    with tempfile.TemporaryDirectory() as tmp, Case.create(Path(tmp) / "case") as case:
        report = case.import_paths(list(forms))
        docs = {Path(o.path): o.doc for o in report.outcomes if o.doc is not None}
        for path, values in forms.items():
            doc = docs.get(path)
            if doc is None:
                print(f"{path.name}: not imported")
                continue
            page_words = set(terms("\n".join(p.text for p in case.pages(doc))))
            lost = {n: v for n, v in values.items() if not set(terms(v)) <= page_words}
            now = 0
            for value in lost.values():
                words = terms(value)[:4]
                phrase = " ".join(_WORD.findall(value)[: len(words)])
                hits = case.search(f'"{phrase}"', limit=200).results
                if any(h.doc == doc and h.source == "field" for h in hits):
                    now += 1
            stored = len(case.form_fields(doc))
            print(
                f"{path.name}: {len(values)} filled, {stored} stored, "
                f"{len(lost)} not in the page text, {now} of them found now"
            )
            if lost:
                lost_files += 1
                lost_values += len(lost)
                found_values += now
                found_files += now == len(lost)
    print(
        f"\n{lost_files} of {len(forms)} form PDFs had field text missing from the page text "
        f"({lost_values} values); now found: {found_values} of {lost_values} values, "
        f"every value in {found_files} of {lost_files} files "
        f"({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/docket-real-pdfs/pdf"))
