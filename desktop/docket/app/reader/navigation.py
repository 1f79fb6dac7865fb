"""Walking through every hit of a search, across pages and documents."""

from __future__ import annotations

from collections.abc import Sequence

from docket.core.model.records import SearchHit, TextRange


class HitNavigator:
    """The hits of the latest results, flattened in the order the panel shows them."""

    def __init__(self) -> None:
        self._stops: list[tuple[SearchHit, TextRange]] = []
        self._index = -1

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self._stops = [
            (hit, TextRange(hit.page, start, end))
            for hit in hits
            for start, end in (hit.hits or [(0, 0)])
        ]
        self._index = -1

    def __len__(self) -> int:
        return len(self._stops)

    @property
    def position(self) -> int:
        """1-based position of the current stop; 0 before the first."""
        return self._index + 1

    def move_to(self, hit: SearchHit) -> tuple[SearchHit, TextRange] | None:
        """Make the first stop of `hit` (a page) current."""
        for index, (candidate, _) in enumerate(self._stops):
            if (candidate.doc, candidate.page) == (hit.doc, hit.page):
                self._index = index
                return self._stops[index]
        return None

    def step(self, delta: int) -> tuple[SearchHit, TextRange] | None:
        if not self._stops:
            return None
        self._index = (self._index + delta) % len(self._stops)
        return self._stops[self._index]
