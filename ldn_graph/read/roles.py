"""Roles told from a segment's own words, whatever the format: a keywords or byline
line is metadata, "not medical advice" is a disclaimer, "Back to top" is navigation,
"Figure 2." opens a caption.

The cue lists are general English web and print conventions, not phrases of any one
page; a segment none of them fits keeps the role its block gave it.
"""

from __future__ import annotations

import re

from ldn_graph.terms import SegmentRole

_CUES: tuple[tuple[SegmentRole, re.Pattern[str]], ...] = ()


def role_of_text(text: str) -> SegmentRole | None:
    """The role ``text``'s own words give it, or None to keep its block's role."""
    for role, pattern in _CUES:
        if pattern.search(text):
            return role
    return None
