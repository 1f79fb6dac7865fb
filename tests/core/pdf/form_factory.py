"""PDFs with AcroForm fields, written with pypdf: text, combo, list, check box, radio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

PAGE_TEXTS = ("Application form", "Second page")
MEGABYTE_VALUE = "lorem " * 200_000  # 1.2 MB typed into one field


def _name(value: str) -> NameObject:
    return NameObject(value)


def _rect(x0: float, y0: float, x1: float, y1: float) -> ArrayObject:
    return ArrayObject([FloatObject(v) for v in (x0, y0, x1, y1)])


def write_form(path: Path, *, filled: bool = True, megabyte: bool = False, many: int = 0) -> Path:
    """Two US-letter pages with printed text; fields on both, filled or left empty.

    Page 1: "Name" (text) = Alice at (72, 600)-(272, 620) in PDF space, i.e. the
    rectangle (72, 172, 200, 20) from the top-left; "Friend" (combo) = Bob;
    "Colour" (list, export "r" shown as "Crimson"); "Agree" (check box) = Yes;
    "Send" (push button) and "Unticked" (a check box that is off). Page 2:
    "Contact" (radio group, the second button, "Phone", is on) and a field
    inside a parent: "applicant.city" = Almaty. `megabyte`: also "Essay" on
    page 2 holding MEGABYTE_VALUE. `many`: that many more text fields on page 2,
    "Note 0", "Note 1"…, 60,000 characters each.
    """
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                _name("/Type"): _name("/Font"),
                _name("/Subtype"): _name("/Type1"),
                _name("/BaseFont"): _name("/Helvetica"),
            }
        )
    )
    pages = []
    for text in PAGE_TEXTS:
        page = writer.add_blank_page(612, 792)
        page[_name("/Resources")] = DictionaryObject(
            {_name("/Font"): DictionaryObject({_name("/F1"): font})}
        )
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii"))
        page[_name("/Contents")] = writer._add_object(content)
        pages.append(page)
    top: list[Any] = []

    def widget(page: Any, entries: dict[str, Any], parent: Any = None) -> Any:
        node = DictionaryObject({_name(k): v for k, v in entries.items()})
        node[_name("/Type")] = _name("/Annot")
        node[_name("/Subtype")] = _name("/Widget")
        node[_name("/P")] = page.indirect_reference
        if parent is not None:
            node[_name("/Parent")] = parent
        reference = writer._add_object(node)
        page.setdefault(_name("/Annots"), ArrayObject()).append(reference)
        return reference

    def value(text: str) -> dict[str, Any]:
        return {"/V": TextStringObject(text)} if filled else {}

    one, two = pages
    top.append(
        widget(
            one,
            {
                "/FT": _name("/Tx"),
                "/T": TextStringObject("Name"),
                "/Rect": _rect(72, 600, 272, 620),
                **value("Alice"),
            },
        )
    )
    top.append(
        widget(
            one,
            {
                "/FT": _name("/Ch"),
                "/Ff": NumberObject(1 << 17),  # a combo box
                "/T": TextStringObject("Friend"),
                "/Opt": ArrayObject([TextStringObject("Bob"), TextStringObject("Carol")]),
                "/Rect": _rect(72, 560, 272, 580),
                **value("Bob"),
            },
        )
    )
    top.append(
        widget(
            one,
            {
                "/FT": _name("/Ch"),
                "/T": TextStringObject("Colour"),
                "/Opt": ArrayObject(
                    [
                        ArrayObject([TextStringObject("r"), TextStringObject("Crimson")]),
                        ArrayObject([TextStringObject("g"), TextStringObject("Green")]),
                    ]
                ),
                "/Rect": _rect(72, 500, 272, 540),
                **value("r"),
            },
        )
    )
    ticked = {"/V": _name("/Yes"), "/AS": _name("/Yes")} if filled else {"/AS": _name("/Off")}
    top.append(
        widget(
            one,
            {
                "/FT": _name("/Btn"),
                "/T": TextStringObject("Agree"),
                "/Rect": _rect(72, 460, 92, 480),
                **ticked,
            },
        )
    )
    top.append(
        widget(
            one,
            {
                "/FT": _name("/Btn"),
                "/Ff": NumberObject(1 << 16),
                "/T": TextStringObject("Send"),
                "/V": _name("/Yes"),
                "/Rect": _rect(300, 460, 360, 480),
            },
        )
    )
    top.append(
        widget(
            one,
            {
                "/FT": _name("/Btn"),
                "/T": TextStringObject("Unticked"),
                "/V": _name("/Off"),
                "/Rect": _rect(100, 460, 120, 480),
            },
        )
    )
    # A radio group: the field holds the value, its two widgets the buttons.
    radio = DictionaryObject(
        {
            _name("/FT"): _name("/Btn"),
            _name("/Ff"): NumberObject(1 << 15),
            _name("/T"): TextStringObject("Contact"),
        }
    )
    if filled:
        radio[_name("/V")] = _name("/Phone")
    radio_ref = writer._add_object(radio)
    kids = ArrayObject()
    for state, y in (("Email", 700), ("Phone", 650)):
        normal = DictionaryObject(
            {_name(f"/{state}"): DictionaryObject(), _name("/Off"): DictionaryObject()}
        )
        on = filled and state == "Phone"
        kids.append(
            widget(
                two,
                {
                    "/Rect": _rect(72, y, 92, y + 20),
                    "/AP": DictionaryObject({_name("/N"): normal}),
                    "/AS": _name(f"/{state}" if on else "/Off"),
                },
                parent=radio_ref,
            )
        )
    radio[_name("/Kids")] = kids
    top.append(radio_ref)
    # A field inside a non-terminal parent: its full name is "applicant.city".
    parent = DictionaryObject({_name("/T"): TextStringObject("applicant")})
    parent_ref = writer._add_object(parent)
    city = widget(
        two,
        {
            "/FT": _name("/Tx"),
            "/T": TextStringObject("city"),
            "/Rect": _rect(72, 560, 272, 580),
            **value("Almaty"),
        },
        parent=parent_ref,
    )
    parent[_name("/Kids")] = ArrayObject([city])
    top.append(parent_ref)
    if megabyte:
        top.append(
            widget(
                two,
                {
                    "/FT": _name("/Tx"),
                    "/T": TextStringObject("Essay"),
                    "/Rect": _rect(72, 300, 540, 500),
                    "/V": TextStringObject(MEGABYTE_VALUE),
                },
            )
        )
    for number in range(many):  # "Note 0", "Note 1"…: 60,000 characters each
        top.append(
            widget(
                two,
                {
                    "/FT": _name("/Tx"),
                    "/T": TextStringObject(f"Note {number}"),
                    "/Rect": _rect(72, 100, 540, 120),
                    "/V": TextStringObject(f"note{number} " + "x" * (60_000 - 7)),
                },
            )
        )
    writer._root_object[_name("/AcroForm")] = DictionaryObject({_name("/Fields"): ArrayObject(top)})
    with open(path, "wb") as handle:
        writer.write(handle)
    return path
