"""Character spans looked up by position in logarithmic time.

Reference lists, instructions in parentheses and the like are sets of ``[start, end)``
spans that every match or segment is checked against; a scan of the list per check is
quadratic on a long document (thousands of references × thousands of matches).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator


class SpanIndex:
    """Non-empty ``[start, end)`` spans, merged and sorted, for position queries."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if end <= start:
                continue  # an empty span holds no position
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def contains(self, pos: int) -> bool:
        """Whether a span holds the position ``pos``."""
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span shares a position with ``[start, end)``."""
        i = bisect_right(self._ends, start)  # the first span ending after ``start``
        return i < len(self._starts) and self._starts[i] < end

    def within(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The parts of the spans inside ``[start, end)``, in order."""
        i = bisect_right(self._ends, start)  # the first span ending after ``start``
        while i < len(self._starts) and self._starts[i] < end:
            yield max(self._starts[i], start), min(self._ends[i], end)
            i += 1

    def cut(self, text: str, start: int, end: int, *, keep_offsets: bool = False) -> str:
        """``text[start:end]`` without the parts the spans cover: dropped, or each made a
        space when ``keep_offsets`` (so that positions in the result are still the text's)."""
        parts: list[str] = []
        cursor = start
        for s, e in self.within(start, end):
            parts.append(text[cursor:s])
            if keep_offsets:
                parts.append(" " * (e - s))
            cursor = e
        parts.append(text[cursor:end])
        return "".join(parts)
