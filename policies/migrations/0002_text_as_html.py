"""Objective bodies and achievement summaries were plain text with blank lines between paragraphs;
they are HTML from the rich-text editor now, converted to the HTML their pages showed."""

from django.db import migrations

from core.rich_text import html_from_plain_text


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
