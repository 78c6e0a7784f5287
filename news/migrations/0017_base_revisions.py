"""A base revision for every clip that has none (news/publishing/base_revisions.py), with a frozen copy of the
snapshot as revisions stored it when this migration was written: it must not follow today's code."""

from pathlib import PurePosixPath

from django.db import migrations

TEXT_FIELDS = ["title", "slug", "subtitle", "highlights", "body", "author_name", "contact_title"]
TIME_FIELDS = ["publish_at", "expires_at"]
RELATED_FIELDS = ["projects", "objectives", "achievements"]
CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩"
NOTE = "The version this clip had before its history was recorded."


def _label(item, field):
    # The models' __str__ is not available to migrations; these are what it returned.
    if field == "objectives":
        symbol = CIRCLED_NUMBERS[item.number - 1] if 1 <= item.number <= 10 else str(item.number)
        return f"{symbol} {item.title}"
    if field == "achievements":
        return f"{item.number}. {item.title}"
    return item.name


def _snapshot(clip):
    data = {name: getattr(clip, name) for name in TEXT_FIELDS}
    data.update({name: getattr(clip, name) and getattr(clip, name).isoformat() for name in TIME_FIELDS})
    data["department"] = [clip.department.pk, clip.department.name] if clip.department_id else None
    for name in RELATED_FIELDS:
        data[name] = sorted([item.pk, _label(item, name)] for item in getattr(clip, name).all())
    photos = clip.images.filter(pending=False).order_by("position", "id")
    data["photos"] = [
        {
            "id": p.pk,
            "position": p.position,
            "alt_text": p.alt_text,
            "caption": p.caption,
            "file": PurePosixPath(p.image.name).name,
        }
        for p in photos
    ]
    attachments = clip.attachments.filter(pending=False).order_by("position", "id")
    data["attachments"] = [
        {"id": a.pk, "position": a.position, "title": a.title, "file": a.original_name} for a in attachments
    ]
    return data


def add_base_revisions(apps, schema_editor):
    NewsClip = apps.get_model("news", "NewsClip")
    ClipRevision = apps.get_model("news", "ClipRevision")
    for clip in NewsClip.objects.filter(revisions__isnull=True).iterator():
        ClipRevision.objects.create(
            clip=clip, user=None, action="created", note=NOTE, data=_snapshot(clip), pending=False, created=clip.updated
        )


class Migration(migrations.Migration):
    dependencies = [("news", "0016_edge_log_position")]

    operations = [migrations.RunPython(add_base_revisions, migrations.RunPython.noop)]
