"""Readable differences between two revision snapshots, for "who changed this sentence and when".

Text is compared line by line, and changed lines word by word, so a one-word edit in a
long paragraph shows as that word. Everything is escaped: revisions hold editor input.
"""

import difflib
import html
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.translation import gettext_lazy

FIELDS = [
    ("title", gettext_lazy("Title")),
    ("slug", gettext_lazy("Slug")),
    ("subtitle", gettext_lazy("Subtitle")),
    ("highlights", gettext_lazy("Highlights")),
    ("body", gettext_lazy("Body")),
    ("author_name", gettext_lazy("Name")),
    ("department", gettext_lazy("Department")),
    ("contact_title", gettext_lazy("Contact")),
    ("publish_at", gettext_lazy("Publish date")),
    ("expires_at", gettext_lazy("Expiry")),
    ("projects", gettext_lazy("Related projects")),
    ("objectives", gettext_lazy("Related objectives")),
    ("achievements", gettext_lazy("Related achievements")),
    ("photos", gettext_lazy("Photos")),
    ("attachments", gettext_lazy("Attachments")),
]
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|tr|figcaption)>|<br\s*/?>", re.IGNORECASE)


def body_lines(body):
    """The body as the reader sees it: one line per paragraph or list item, no markup."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", body or "")))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _time(value):
    if not value:
        return []
    return [f"{timezone.localtime(parse_datetime(value)):%Y-%m-%d %H:%M} KST"]


def lines(name, data):
    value = data.get(name)
    if name == "body":
        return body_lines(value)
    if name in ("publish_at", "expires_at"):
        return _time(value)
    if name == "department":
        return [value[1]] if value else []
    if name in ("projects", "objectives", "achievements"):
        return [label for _pk, label in value or []]
    if name == "photos":
        return [f"{p['file']} — alt: {p['alt_text']} — caption: {p['caption'] or '(none)'}" for p in value or []]
    if name == "attachments":
        return [f"{a['file']}" + (f" — “{a['title']}”" if a["title"] else "") for a in value or []]
    return [line for line in (value or "").splitlines() if line.strip()]


_TOKENS = re.compile(r"\w+|[^\w\s]+|\s+")


def _words(old, new):
    """One changed line as inline <del>/<ins> of the words (and punctuation) that differ."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))


def diff_lines(old, new):
    """Rows of (kind, html): kind is "same", "removed", "added" or "changed"."""
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [("same", format_html("{}", line)) for line in old[i1:i2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            rows += [("changed", _words(o, n)) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            rows += [("removed", format_html("{}", line)) for line in old[i1:i2]]
            rows += [("added", format_html("{}", line)) for line in new[j1:j2]]
    return rows


def compare(a, b):
    """Every field that differs between snapshots `a` and `b`, with its rows."""
    changes = []
    for name, label in FIELDS:
        old, new = lines(name, a), lines(name, b)
        if old != new:
            changes.append({"field": label, "rows": diff_lines(old, new)})
    return changes
