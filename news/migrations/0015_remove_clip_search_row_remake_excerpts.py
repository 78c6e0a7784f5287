"""ClipSearchRow was never used (news/search.py queries the FTS5 table by name): it leaves the
state; the table itself stays, being unmanaged. Excerpts are remade: they kept the body's
entities ("R&amp;D"), which list pages then escaped a second time."""

import re
from html import unescape

from django.db import migrations
from django.utils.html import strip_tags
from django.utils.text import Truncator

# Frozen: core.text's plain text and excerpt as they are when this migration is written.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_PARAGRAPH = re.compile(r"<p[ >].*?</p>", re.DOTALL)


def plain_text(html):
    text = unescape(strip_tags((html or "").replace("</", " </")))
    return " ".join(_CONTROL_CHARACTERS.sub(" ", text).split())


def make_excerpt(html, words=50):
    paragraphs = _PARAGRAPH.findall(html or "") or [html or ""]
    return Truncator(plain_text(" ".join(paragraphs))).words(words)


def remake_excerpts(apps, schema_editor):
    NewsClip = apps.get_model("news", "NewsClip")
    for clip in NewsClip.objects.only("id", "body", "excerpt").iterator():
        excerpt = make_excerpt(clip.body)
        if excerpt != clip.excerpt:
            NewsClip.objects.filter(pk=clip.pk).update(excerpt=excerpt)


class Migration(migrations.Migration):
    dependencies = [("news", "0014_list_order_and_updated_indexes")]

    operations = [
        migrations.DeleteModel(name="ClipSearchRow"),
        migrations.RunPython(remake_excerpts, migrations.RunPython.noop),
    ]
