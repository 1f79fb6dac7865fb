"""Appearance streams for the annotations Docket writes.

A reader that does not draw annotations itself (PDFium, and so QtPdf and
Chrome, draw an annotation only from its /AP stream) shows nothing without
one; poppler, pdf.js and Acrobat use it too when it is there, so every
reader shows the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

RGB = tuple[float, float, float]

# The fill's opacity under Multiply: dark text stays dark, the paper takes
# the colour. 0.45 matches how translucent the reader's own highlights look;
# at 1 the blue and purple keys turn the paper too dark to read on in print.
HIGHLIGHT_OPACITY = 0.45
NOTE_ICON_SIZE = 20.0


def number(value: float) -> str:
    """A number as content streams want it: no exponent, no needless digits."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _array(values: Sequence[float]) -> ArrayObject:
    return ArrayObject(FloatObject(number(value)) for value in values)


def _form(bbox: Sequence[float], content: str, graphics: DictionaryObject) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content.encode("ascii"))
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/FormType"): NumberObject(1),
            NameObject("/BBox"): _array(bbox),
            NameObject("/Matrix"): _array((1, 0, 0, 1, 0, 0)),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/ExtGState"): DictionaryObject({NameObject("/GS0"): graphics}),
                }
            ),
        }
    )
    return stream


def _graphics(opacity: float, blend: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/BM"): NameObject(blend),
            NameObject("/ca"): FloatObject(number(opacity)),
            NameObject("/CA"): FloatObject(number(opacity)),
        }
    )


def highlight_appearance(
    quads: Sequence[Sequence[float]],
    rect: Sequence[float],
    rgb: RGB,
    opacity: float = HIGHLIGHT_OPACITY,
) -> DecodedStreamObject:
    """A form filling each quad (x1 y1 … x4 y4, user space) with `rgb`, multiplied."""
    lines = ["/GS0 gs", " ".join(number(c) for c in rgb) + " rg"]
    for q in quads:
        # Around the quad: top-left, top-right, bottom-right, bottom-left.
        points = [(q[0], q[1]), (q[2], q[3]), (q[6], q[7]), (q[4], q[5])]
        path = [
            f"{number(x)} {number(y)} {op}"
            for (x, y), op in zip(points, ("m", "l", "l", "l"), strict=True)
        ]
        lines.append(" ".join(path) + " h f")
    return _form(rect, "\n".join(lines) + "\n", _graphics(opacity, "/Multiply"))


def note_appearance(rgb: RGB) -> DecodedStreamObject:
    """A sticky-note icon (a speech bubble with lines of text) in the mark's colour."""
    s = NOTE_ICON_SIZE
    fill = " ".join(number(c) for c in rgb)
    content = (
        "\n".join(
            [
                "/GS0 gs",
                f"{fill} rg 0.25 0.25 0.25 RG 0.8 w 1 J 1 j",
                # The bubble and its tail, drawn as one outline.
                f"1.5 {number(s - 1.5)} m {number(s - 1.5)} {number(s - 1.5)} l "
                f"{number(s - 1.5)} 6 l 10 6 l 4.5 1.5 l 5.5 6 l 1.5 6 l h B",
                "0.25 0.25 0.25 RG 1 w",
                "4.5 14.5 m 15.5 14.5 l 4.5 11.5 m 15.5 11.5 l 4.5 8.5 m 12 8.5 l S",
            ]
        )
        + "\n"
    )
    return _form((0, 0, s, s), content, _graphics(1.0, "/Normal"))
