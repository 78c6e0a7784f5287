"""A contents list for long clips, made from the body's own h2/h3 headings.

The body is sanitised when saved (core/text.py), and the allow-list gives
headings no attributes, so every heading in it is exactly `<h2>` or `<h3>`: the
ids are added to those literal tags and to nothing an editor wrote.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import strip_tags
from django.utils.text import slugify

HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.DOTALL)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def add_heading_anchors(body):
    """(body with an id on each h2/h3, [Heading, ...]) — ids are "section-<words>", unique in the page."""
    headings = []
    used = set()

    def anchor(match):
        tag, inner = match.group(1), match.group(2)
        text = " ".join(unescape(strip_tags(inner)).split())
        base = "section-" + (slugify(text, allow_unicode=True)[:60].strip("-") or str(len(headings) + 1))
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        headings.append(Heading(int(tag[1]), text, candidate))
        return f'<{tag} id="{candidate}">{inner}</{tag}>'

    return HEADING.sub(anchor, body), headings
