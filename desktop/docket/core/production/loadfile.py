"""A production's load files: what each produced document is and which numbers it took.

- CSV (Excel opens it): BegBates, EndBates, Title, OriginalName, SHA256, Pages, File.
- Concordance DAT: the same fields between þ (U+00FE) quotes, ¶ (U+0014) between fields
  as Concordance writes them, UTF-8 with a byte-order mark.
- Opticon OPT: one line per page, `ImageKey,Volume,Path,DocBreak,,,Pages`, the
  first page of each document marked Y with its page count.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CSV_NAME = "loadfile.csv"
DAT_NAME = "loadfile.dat"
OPT_NAME = "loadfile.opt"
COLUMNS = ("BegBates", "EndBates", "Title", "OriginalName", "SHA256", "Pages", "File")
QUOTE, SEPARATOR = "\u00fe", "\u0014"


@dataclass(frozen=True)
class ProducedDocument:
    doc_id: int
    begin: str
    end: str
    title: str
    original_name: str
    sha256: str  # the original's, as the case stored it
    labels: tuple[str, ...]  # each produced page's Bates number
    file: str  # the produced PDF, relative to the production's folder

    @property
    def pages(self) -> int:
        return len(self.labels)

    def row(self) -> tuple[str, ...]:
        fields = (self.begin, self.end, self.title, self.original_name, self.sha256)
        return (*fields, str(self.pages), self.file)


def write_load_files(folder: Path, documents: Sequence[ProducedDocument], volume: str) -> None:
    with (folder / CSV_NAME).open("w", encoding="utf-8-sig", newline="") as handle:
        table = csv.writer(handle)
        table.writerow(COLUMNS)
        table.writerows(document.row() for document in documents)
    with (folder / DAT_NAME).open("w", encoding="utf-8-sig", newline="\r\n") as handle:
        for values in (COLUMNS, *(document.row() for document in documents)):
            clean = (value.replace(QUOTE, "").replace("\n", " ") for value in values)
            handle.write(SEPARATOR.join(f"{QUOTE}{value}{QUOTE}" for value in clean) + "\n")
    with (folder / OPT_NAME).open("w", encoding="utf-8", newline="\r\n") as handle:
        for document in documents:
            for index, label in enumerate(document.labels):
                first = index == 0
                breaks = "Y" if first else ""
                count = str(document.pages) if first else ""
                handle.write(f"{label},{volume},{document.file},{breaks},,,{count}\n")
