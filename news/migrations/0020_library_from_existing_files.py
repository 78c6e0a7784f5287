"""Every existing photo and attachment becomes a use of a library item, with nothing lost.

Frozen code: this reads the historical models and the files, never the app's modules.

- One library item per distinct file content: photos are grouped by stored name, then by the
  SHA-256 of their bytes (read from storage; a missing file makes an item of its own with no
  hash); attachments by the SHA-256 they already record (or their stored name without one).
- The item takes the file, its facts, the first use's alt text and caption (photos) or title
  (documents), the clip's department and the clip's creation time as its upload date.
- A use whose bytes another row already stored is pointed at the item's file; its own copy is
  left on disk, untouched (nothing is deleted here), and counted in the output.
- Ids, positions, captions, alt texts, titles, download counts and pending flags of the rows are
  not touched: every public address and count stays as it was.

Also gives the newsroom groups the library's permissions: Editors add, change and view library
items; Publishers also delete them (taking down everywhere needs news.publish_newsclip).
"""

import hashlib

from django.contrib.auth.management import create_permissions
from django.core.files.storage import storages
from django.db import migrations
from django.db.models import Q

BATCH = 1000


def _sha256(storage, name):
    try:
        with storage.open(name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _size(storage, name):
    try:
        return storage.size(name)
    except OSError:
        return 0


def _clip_facts(NewsClip, clip_ids):
    return {
        row["pk"]: row for row in NewsClip.objects.filter(pk__in=clip_ids).values("pk", "department_id", "created")
    }


def photos_to_library(apps, schema_editor):
    ClipImage = apps.get_model("news", "ClipImage")
    Photo = apps.get_model("news", "Photo")
    NewsClip = apps.get_model("news", "NewsClip")
    storage = storages["protected"]
    by_name, by_hash = {}, {}
    left, repointed = 0, {}
    rows = ClipImage.objects.filter(photo__isnull=True).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        clips = _clip_facts(NewsClip, {row.clip_id for row in batch})
        changed = []
        for row in batch:
            name = row.image.name
            photo = by_name.get(name)
            if photo is None:
                digest = _sha256(storage, name)
                photo = by_hash.get(digest) if digest else None
                if photo is None:
                    clip = clips[row.clip_id]
                    photo = Photo.objects.create(
                        image=name,
                        width=row.width,
                        height=row.height,
                        original_name=row.original_name,
                        title=row.caption or row.original_name,
                        alt_text=row.alt_text,
                        caption=row.caption,
                        sha256=digest,
                        size=_size(storage, name),
                        is_placeholder=row.is_placeholder,
                        department_id=clip["department_id"],
                        created=clip["created"],
                    )
                    if digest:
                        by_hash[digest] = photo
                else:
                    left += 1
                by_name[name] = photo
            row.photo_id = photo.pk
            changed.append(row)
            if name != photo.image.name:
                # By UPDATE: assigning the field would read the file again for its size in pixels.
                repointed.setdefault(photo.image.name, []).append(row.pk)
        ClipImage.objects.bulk_update(changed, ["photo"])
    for name, pks in repointed.items():
        for start in range(0, len(pks), BATCH):
            ClipImage.objects.filter(pk__in=pks[start : start + BATCH]).update(image=name)
    if left:
        print(f"\n  Library: {left} photo file(s) held bytes stored again elsewhere; left on disk, unused.")


def attachments_to_library(apps, schema_editor):
    Attachment = apps.get_model("news", "Attachment")
    Document = apps.get_model("news", "Document")
    NewsClip = apps.get_model("news", "NewsClip")
    storage = storages["protected"]
    by_key = {}
    left = 0
    rows = Attachment.objects.filter(document__isnull=True).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        clips = _clip_facts(NewsClip, {row.clip_id for row in batch})
        changed = []
        for row in batch:
            key = row.sha256 or f"name:{row.file.name}"
            document = by_key.get(key)
            if document is None:
                clip = clips[row.clip_id]
                document = Document.objects.create(
                    file=row.file.name,
                    original_name=row.original_name,
                    title=row.title or row.original_name,
                    size=row.size or _size(storage, row.file.name),
                    content_type=row.content_type,
                    sha256=row.sha256 or None,
                    crc32=row.crc32,
                    department_id=clip["department_id"],
                    created=clip["created"],
                )
                by_key[key] = document
            elif row.file.name != document.file.name:
                left += 1
            row.document_id = document.pk
            # The download keeps the name this row always gave it; the file is the document's.
            row.file = document.file.name
            changed.append(row)
        Attachment.objects.bulk_update(changed, ["document", "file"])
    if left:
        print(f"\n  Library: {left} attachment file(s) held bytes stored again elsewhere; left on disk, unused.")


def back_to_rows(apps, schema_editor):
    """Backwards: the rows keep their files (they always named one); only the links go."""
    apps.get_model("news", "ClipImage").objects.update(photo=None)
    apps.get_model("news", "Attachment").objects.update(document=None)
    apps.get_model("news", "Photo").objects.all().delete()
    apps.get_model("news", "Document").objects.all().delete()


EDITOR = ["add_photo", "change_photo", "view_photo", "add_document", "change_document", "view_document"]
PUBLISHER = [*EDITOR, "delete_photo", "delete_document"]


def library_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITOR), ("Publishers", PUBLISHER)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(Q(content_type__app_label="news"), codename__in=codenames))


def no_op(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0019_media_library"),
    ]

    operations = [
        migrations.RunPython(photos_to_library, back_to_rows),
        migrations.RunPython(attachments_to_library, no_op),
        migrations.RunPython(library_permissions, no_op),
    ]
