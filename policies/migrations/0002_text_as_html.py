"""Objective bodies and achievement summaries were plain text with blank lines between paragraphs;
they are HTML from the rich-text editor now, converted to the HTML their pages showed."""

import re

import nh3
from django.db import migrations
from django.utils.html import linebreaks

# Frozen: core.rich_text's conversion as it was when this migration was written. Text from
# linebreaks() is escaped and holds only <p> and <br>, which the allow-list keeps; nh3 writes it
# out as the sanitiser did, and control characters go as the sanitiser took them out.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\x0b\x0c\x85]")


def html_from_plain_text(text):
    """Text written before the editor (blank lines between paragraphs) as the HTML it was shown as."""
    if not text or text.lstrip().startswith("<"):
        return text
    html = linebreaks(text, autoescape=True)
    return nh3.clean(_CONTROLS.sub("", _LINE_BREAKS.sub("\n", html)), tags={"p", "br"}, attributes={})


def forwards(apps, schema_editor):
    for model_name, field in [("Objective", "body"), ("Achievement", "summary")]:
        model = apps.get_model("policies", model_name)
        for row in model.objects.only("id", field).iterator():
            html = html_from_plain_text(getattr(row, field))
            if html != getattr(row, field):
                model.objects.filter(pk=row.pk).update(**{field: html})


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    # Backwards keeps the HTML: it reads as text, and no paragraph is lost.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
