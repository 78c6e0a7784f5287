from django.db import migrations, models


def unlogged(apps, schema_editor):
    # Written on every counted request: no write-ahead log on PostgreSQL (core.models).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_countedrequest SET UNLOGGED")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CountedRequest",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("created", models.DateTimeField(db_index=True)),
            ],
            options={"verbose_name": "counted request"},
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop),
    ]
