"""Where each page of the continuous PDF view sits, in pixels: arithmetic only, no Qt.

Pages are stacked top to bottom with a gap between them and a margin
around them all, each centred across the view. Positions are whole logical
pixels so that an image rendered at the page's pixel size lands on device
pixels one to one, which is what keeps text crisp.

Page sizes come from the PDF lazily (`PageSizes`): asking PDFium for the
size of every page of a 2,000-page file costs ~110 ms the first time, which
would make a big file open visibly slower than a small one. Pages not yet
measured are assumed to be the size of the first page, which they almost
always are; the view measures the rest in small slices while idle.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Callable, Sequence
from enum import Enum

GAP = 10  # logical px between two pages
MARGIN = 12  # logical px between the pages and the edges of the scrolled area

MIN_ZOOM = 0.1
MAX_ZOOM = 8.0
# The steps zoom in/out move through; the ones people expect from other readers.
ZOOM_STEPS = (
    0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 3.0, 4.0, 6.0, 8.0,
)  # fmt: skip

# A page that PDFium cannot size (damaged) still needs a place: A4.
FALLBACK_SIZE = (595.0, 842.0)

Size = tuple[float, float]  # (width, height)


class FitMode(Enum):
    NONE = "none"
    WIDTH = "width"  # the widest page fills the view's width
    PAGE = "page"  # the current page fits whole in the view


def clamp_zoom(zoom: float) -> float:
    return min(MAX_ZOOM, max(MIN_ZOOM, zoom))


def zoom_step(zoom: float, direction: int) -> float:
    """The next step above (direction > 0) or below `zoom`; a fitted 93% goes to 100% or 90%."""
    # 1% tolerance, so that 0.6699 (a step reached by arithmetic) counts as 67%.
    if direction > 0:
        return next((step for step in ZOOM_STEPS if step > zoom * 1.01), MAX_ZOOM)
    return next((step for step in reversed(ZOOM_STEPS) if step < zoom / 1.01), MIN_ZOOM)


def fit_zoom(
    mode: FitMode, widest: Size, current: Size, viewport: tuple[int, int], px_per_point: float
) -> float:
    """The zoom at which `mode` fits: page sizes in points, the viewport in logical px.

    `px_per_point` is the scale at zoom 1.0 (logical DPI / 72).
    """
    room_w = max(1, viewport[0] - 2 * MARGIN)
    if mode is FitMode.WIDTH:
        return clamp_zoom(room_w / (widest[0] * px_per_point))
    # The page sits one gap below the viewport's top when the view goes to it.
    room_h = max(1, viewport[1] - 2 * GAP)
    return clamp_zoom(min(room_w / current[0], room_h / current[1]) / px_per_point)


class PageSizes:
    """The size in points of every page, measured on demand; others are estimated."""

    def __init__(self, count: int, measure: Callable[[int], Size]) -> None:
        self._measure = measure
        self._sizes: list[Size | None] = [None] * count
        self._unmeasured = count
        self._cursor = 0  # where the background measuring goes on from
        self.estimate = self._measured(0) if count else FALLBACK_SIZE

    def __len__(self) -> int:
        return len(self._sizes)

    def __getitem__(self, index: int) -> Size:
        size = self._sizes[index]
        return self.estimate if size is None else size

    @property
    def complete(self) -> bool:
        return self._unmeasured == 0

    def all(self) -> list[Size]:
        estimate = self.estimate
        return [estimate if size is None else size for size in self._sizes]

    def ensure(self, indexes: Sequence[int] | range) -> bool:
        """Measures these pages now; True when one of them differs from what was assumed."""
        changed = False
        for index in indexes:
            if self._sizes[index] is None:
                changed |= self._measured(index) != self.estimate
        return changed

    def measure_more(self, budget_s: float) -> bool:
        """Measures the next unmeasured pages for about `budget_s`; True if any differed."""
        deadline = time.perf_counter() + budget_s
        changed = False
        while self._cursor < len(self._sizes) and time.perf_counter() < deadline:
            changed |= self.ensure((self._cursor,))
            self._cursor += 1
        return changed

    def _measured(self, index: int) -> Size:
        width, height = self._measure(index)
        size = (width, height) if width > 0 and height > 0 else FALLBACK_SIZE
        if self._sizes[index] is None:
            self._unmeasured -= 1
        self._sizes[index] = size
        return size


class PageLayout:
    """Page rectangles in the scrolled area's logical pixels, at one scale (px per point)."""

    def __init__(self, sizes: Sequence[Size], scale: float) -> None:
        self.scale = scale
        # Pages of a document are mostly of one or two sizes: scale each size once.
        scaled: dict[Size, tuple[int, int]] = {}
        for size in set(sizes):
            scaled[size] = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
        self._sizes = [scaled[size] for size in sizes]
        steps = [height + GAP for _, height in self._sizes]
        self._tops = list(itertools.accumulate(steps[:-1], initial=MARGIN)) if steps else []
        self.width = max((w for w, _ in scaled.values()), default=0) + 2 * MARGIN
        self.height = sum(steps) - GAP + 2 * MARGIN if steps else 0

    def __len__(self) -> int:
        return len(self._sizes)

    def size(self, index: int) -> tuple[int, int]:
        return self._sizes[index]

    def top(self, index: int) -> int:
        return self._tops[index]

    def left(self, index: int, area_width: int) -> int:
        """Centred in an area `area_width` wide (the viewport, when wider than the pages)."""
        return (max(area_width, self.width) - self._sizes[index][0]) // 2

    def page_at(self, y: float) -> int:
        """The index of the page at height `y`; the gap above a page belongs to that page."""
        if not self._tops:
            return -1
        return max(0, bisect.bisect_right(self._tops, y + GAP) - 1)

    def pages_between(self, y0: float, y1: float) -> range:
        """Indexes of the pages that show between heights y0 and y1."""
        if not self._tops:
            return range(0)
        first = self.page_at(y0)
        last = self.page_at(y1)
        return range(first, last + 1)
