"""The media library (issue 21): library photos and documents, their earlier files, and the uses'
links to them. The links are nullable, so the code of the release before keeps working during a
rolling upgrade; 0020 fills them from the rows that exist. `replaces` lets a draft's corrected file
take its live row's place (and public address) on publication."""

import django.db.models.deletion
import django.utils.timezone
import news.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0018_link_checks"),
        ("projects", "0005_department"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="file_replaced_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When a corrected file replaced it here.",
                null=True,
                verbose_name="file corrected",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="replaces",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="A draft's new file for this live row: on publication it takes the live row's place and address.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="news.attachment",
            ),
        ),
        migrations.AddField(
            model_name="clipimage",
            name="replaces",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="A draft's new file for this live row: on publication it takes the live row's place and address.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="news.clipimage",
            ),
        ),
        migrations.AlterField(
            model_name="cliprevision",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("saved", "Saved"),
                    ("drafted", "Saved a draft"),
                    ("submitted", "Submitted for review"),
                    ("sent_back", "Sent back"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("unpublished", "Unpublished"),
                    ("went_live", "Went live as scheduled"),
                    ("expired", "Expired"),
                    ("restored", "Restored an older revision"),
                    ("discarded", "Discarded the draft"),
                    ("replaced", "A library file was replaced"),
                    ("taken_down", "A library file was taken down everywhere"),
                ],
                max_length=12,
            ),
        ),
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        blank=True, help_text="For finding it in the library.", max_length=300, verbose_name="title"
                    ),
                ),
                (
                    "original_name",
                    models.CharField(blank=True, editable=False, max_length=255, verbose_name="file name"),
                ),
                ("size", models.PositiveBigIntegerField(default=0, editable=False, verbose_name="size")),
                (
                    "sha256",
                    models.CharField(editable=False, max_length=64, null=True, unique=True, verbose_name="SHA-256"),
                ),
                (
                    "created",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="uploaded"
                    ),
                ),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "replaced_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        help_text="When a corrected file last replaced it.",
                        null=True,
                        verbose_name="file replaced",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=news.models.protected_storage,
                        upload_to=news.models.attachment_upload_to,
                        verbose_name="file",
                    ),
                ),
                ("content_type", models.CharField(editable=False, max_length=150)),
                ("crc32", models.PositiveBigIntegerField(editable=False, null=True, verbose_name="CRC-32")),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        help_text="The office the file belongs to, to find it by.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="projects.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "library document",
                "verbose_name_plural": "library documents",
                "ordering": ["-created", "-id"],
                "abstract": False,
            },
            bases=(models.Model,),
        ),
        migrations.AddField(
            model_name="attachment",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="uses",
                to="news.document",
                verbose_name="library document",
            ),
        ),
        migrations.CreateModel(
            name="Photo",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        blank=True, help_text="For finding it in the library.", max_length=300, verbose_name="title"
                    ),
                ),
                (
                    "original_name",
                    models.CharField(blank=True, editable=False, max_length=255, verbose_name="file name"),
                ),
                ("size", models.PositiveBigIntegerField(default=0, editable=False, verbose_name="size")),
                (
                    "sha256",
                    models.CharField(editable=False, max_length=64, null=True, unique=True, verbose_name="SHA-256"),
                ),
                (
                    "created",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="uploaded"
                    ),
                ),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "replaced_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        help_text="When a corrected file last replaced it.",
                        null=True,
                        verbose_name="file replaced",
                    ),
                ),
                (
                    "image",
                    models.ImageField(
                        height_field="height",
                        max_length=200,
                        storage=news.models.protected_storage,
                        upload_to=news.models.photo_upload_to,
                        verbose_name="file",
                        width_field="width",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "alt_text",
                    models.CharField(
                        blank=True,
                        help_text="The usual description of what the photo shows; a clip may say it its own way.",
                        max_length=300,
                        verbose_name="alt text",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True, help_text="The usual caption.", max_length=300, verbose_name="caption"
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True,
                        help_text="Photographer or source, printed under the photo on every page that shows it.",
                        max_length=200,
                        verbose_name="credit",
                    ),
                ),
                ("is_placeholder", models.BooleanField(default=False, editable=False)),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        help_text="The office the file belongs to, to find it by.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="projects.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "library photo",
                "verbose_name_plural": "library photos",
                "ordering": ["-created", "-id"],
                "abstract": False,
            },
            bases=(models.Model,),
        ),
        migrations.AddField(
            model_name="clipimage",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="uses",
                to="news.photo",
                verbose_name="library photo",
            ),
        ),
        migrations.CreateModel(
            name="ReplacedFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stored_name", models.CharField(max_length=200)),
                ("original_name", models.CharField(blank=True, max_length=255)),
                ("size", models.PositiveBigIntegerField(default=0)),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("content_type", models.CharField(blank=True, max_length=150)),
                ("replaced_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "document",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="news.document",
                    ),
                ),
                (
                    "photo",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="news.photo",
                    ),
                ),
                (
                    "replaced_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "earlier file",
                "ordering": ["-replaced_at", "-id"],
            },
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["department", "-created"], name="document_department_idx"),
        ),
        migrations.AddIndex(
            model_name="photo",
            index=models.Index(fields=["department", "-created"], name="photo_department_idx"),
        ),
        migrations.AddConstraint(
            model_name="replacedfile",
            constraint=models.CheckConstraint(
                condition=models.Q(("photo__isnull", True), ("document__isnull", True), _connector="XOR"),
                name="replaced_file_of_one_item",
            ),
        ),
    ]
