"""Project bodies were plain text with blank lines between paragraphs; they are HTML from the
rich-text editor now. Each body becomes the HTML its page showed, so pages read as before."""

from django.db import migrations

from core.rich_text import html_from_plain_text


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.exclude(body="").only("id", "body").iterator():
        html = html_from_plain_text(project.body)
        if html != project.body:
            Project.objects.filter(pk=project.pk).update(body=html)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_rich_text")]

    # Backwards keeps the HTML: it reads as text, and no paragraph is lost.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
