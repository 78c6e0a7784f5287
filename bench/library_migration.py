"""The media library's data migration (news 0017) on a copy of the seed plus many generated clips:
counts, ids, public addresses, words, counts of downloads and the bytes each address serves must be
identical before and after.

    .venv/bin/python bench/library_migration.py [--clips 10000] [--keep]

builds a throwaway site (temp folder, its own SQLite database unless DATABASE_URL is set, its own
protected files), migrates it to news 0018 (before the library), writes the seed's clip, photos and
attachments and N generated clips (two photos and one attachment each, drawn from small pools of
bytes so that the same file was uploaded many times over, every tenth clip with a draft's pending
photo, one photo whose file is missing), snapshots every row, migrates forward, snapshots again,
compares and prints the time the migration took. tests/library/test_migration.py runs the same
code with a few hundred clips on the test database.
"""

import hashlib
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ("news", "0018_link_checks")
SEED_MODELS = {"projects.department", "news.newsclip", "news.clipimage", "news.attachment"}


def _concrete(model, fields):
    """Fixture fields as keyword arguments for a historical model (FKs by id, no many-to-many)."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.name not in fields:
            continue
        value = fields[field.name]
        values[field.attname if field.is_relation else field.name] = value
    return values


def write_seed(apps, storage):
    """The seed's department, clip, photos and attachments, with their media, at the state before the library."""
    from django.core.management.color import no_style
    from django.db import connection

    entries = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    models = set()
    for entry in entries:
        if entry["model"] not in SEED_MODELS:
            continue
        model = apps.get_model(entry["model"])
        row = model(pk=entry["pk"], **_concrete(model, entry["fields"]))
        if entry["model"] == "news.newsclip":
            row.department_id = None
        row.save()
        models.add(model)
    with connection.cursor() as cursor:  # rows went in with their ids: move PostgreSQL's sequences past them
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
    media = ROOT / "fixtures" / "media"
    for source in media.rglob("*"):
        if source.is_file():
            name = source.relative_to(media).as_posix()
            if not storage.exists(name):
                with source.open("rb") as handle:
                    storage.save(name, handle)


def _jpeg(n):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32 + n % 7, 24), ((n * 37) % 256, (n * 91) % 256, (n * 13) % 256)).save(buffer, "JPEG")
    return buffer.getvalue()


def _pdf(n):
    return b"%PDF-1.4\n% document " + str(n).encode() + b"\ntrailer<<>>\n%%EOF\n"


def write_clips(apps, storage, count, *, seed=21):
    """`count` clips at the state before the library, in bulk. Files are written once per row, as
    editors uploading the same photo again made a new file each time."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    NewsClip = apps.get_model("news", "NewsClip")
    ClipImage = apps.get_model("news", "ClipImage")
    Attachment = apps.get_model("news", "Attachment")
    rng = random.Random(seed)
    photos = [_jpeg(n) for n in range(40)]
    documents = [_pdf(n) for n in range(25)]
    now = timezone.now()
    first = (NewsClip.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    clips = [
        NewsClip(
            pk=first + i,
            title=f"Migration clip {i}",
            slug=f"migration-clip-{i}",
            body=f"<p>Clip {i}.</p>",
            status="published" if i % 4 else "draft",
            publish_at=now,
        )
        for i in range(count)
    ]
    NewsClip.objects.bulk_create(clips, batch_size=2000)
    images, attachments, last_name = [], [], None
    for i, clip in enumerate(clips):
        for position in (1, 2, 3) if i % 10 == 0 else (1, 2):
            n = rng.randrange(len(photos))
            name = last_name = storage.save(f"photos/migration/{clip.pk}-{position}.jpg", ContentFile(photos[n]))
            images.append(
                ClipImage(
                    clip_id=clip.pk,
                    position=position,
                    image=name,
                    width=32 + n % 7,
                    height=24,
                    original_name=f"photo-{n}.jpg",
                    caption=f"Caption {i}-{position}",
                    alt_text=f"Alt text {i}-{position}",
                    pending=position == 3,
                )
            )
        n = rng.randrange(len(documents))
        data = documents[n]
        name = storage.save(f"attachments/migration/{clip.pk}.pdf", ContentFile(data))
        attachments.append(
            Attachment(
                clip_id=clip.pk,
                position=1,
                file=name,
                title=f"Report {n}" if i % 3 else "",
                original_name=f"보고서_{n}.pdf",
                size=len(data),
                content_type="application/pdf",
                sha256=hashlib.sha256(data).hexdigest(),
                download_count=rng.randrange(1000),
            )
        )
    ClipImage.objects.bulk_create(images, batch_size=2000)
    Attachment.objects.bulk_create(attachments, batch_size=2000)
    if last_name:  # one photo whose file went missing on disk
        storage.delete(last_name)


def _bytes_digest(storage, name):
    try:
        with storage.open(name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def snapshot(apps, storage):
    """Everything the public and editors see of each row: its public address, words, order, counts and
    the SHA-256 of the bytes its address serves."""
    ClipImage = apps.get_model("news", "ClipImage")
    Attachment = apps.get_model("news", "Attachment")
    NewsClip = apps.get_model("news", "NewsClip")
    slugs = dict(NewsClip.objects.values_list("pk", "slug"))
    photos = {
        row.pk: (
            f"/news/{slugs[row.clip_id]}/photos/{row.pk}/",
            row.position,
            row.caption,
            row.alt_text,
            row.pending,
            row.width,
            row.height,
            row.original_name,
            _bytes_digest(storage, row.image.name),
        )
        for row in ClipImage.objects.order_by("pk")
    }
    attachments = {
        row.pk: (
            f"/news/{slugs[row.clip_id]}/attachments/{row.pk}/",
            row.position,
            row.title,
            row.original_name,
            row.download_count,
            row.size,
            row.content_type,
            row.sha256,
            row.pending,
            _bytes_digest(storage, row.file.name),
        )
        for row in Attachment.objects.order_by("pk")
    }
    return {"clips": NewsClip.objects.count(), "photos": photos, "attachments": attachments}


def check_library(apps):
    """After the migration: every row uses a library item holding its file; no bytes are two items."""
    ClipImage = apps.get_model("news", "ClipImage")
    Attachment = apps.get_model("news", "Attachment")
    Photo = apps.get_model("news", "Photo")
    Document = apps.get_model("news", "Document")
    problems = []
    for model, field, item in ((ClipImage, "image", "photo"), (Attachment, "file", "document")):
        if model.objects.filter(**{f"{item}__isnull": True}).exists():
            problems.append(f"{model.__name__} rows without a library {item}")
        for row in model.objects.select_related(item).iterator():
            if getattr(row, field).name != getattr(getattr(row, item), field).name:
                problems.append(f"{model.__name__} {row.pk} names another file than its {item}")
    for model in (Photo, Document):
        hashes = [h for h in model.objects.values_list("sha256", flat=True) if h]
        if len(hashes) != len(set(hashes)):
            problems.append(f"{model.__name__}: the same bytes twice")
    return problems, Photo.objects.count(), Document.objects.count()


def migrate_to(connection, targets):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest(connection):
    from django.db.migrations.loader import MigrationLoader

    return [node for node in MigrationLoader(connection).graph.leaf_nodes() if node[0] == "news"]


def main():
    import argparse
    import os
    import sys
    import tempfile
    import time

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="library-migration-"))
    os.environ.update(DEBUG="1", VAR_DIR=str(folder))  # its own SQLite database unless DATABASE_URL is set
    os.environ.update(PROTECTED_MEDIA_ROOT=str(folder / "protected"), PDF_CACHE_ROOT=str(folder / "pdf"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gwangju_site.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # every app, then news back to before the library
    old = migrate_to(connection, [BEFORE])
    storage = storages["protected"]
    started = time.perf_counter()
    write_seed(old, storage)
    write_clips(old, storage, options.clips)
    print(f"wrote the seed and {options.clips:,} clips in {time.perf_counter() - started:.1f} s")
    before = snapshot(old, storage)
    started = time.perf_counter()
    new = migrate_to(connection, latest(connection))
    took = time.perf_counter() - started
    after = snapshot(new, storage)
    problems, photos, documents = check_library(new)
    same = before == after
    print(
        f"migrated {before['clips']:,} clips, {len(before['photos']):,} photos, "
        f"{len(before['attachments']):,} attachments in {took:.1f} s into {photos:,} library photos and "
        f"{documents:,} documents; rows identical before and after: {same}; problems: {problems or 'none'}"
    )
    if not options.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if same and not problems else 1)


if __name__ == "__main__":
    main()
