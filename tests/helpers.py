"""Helpers the test modules share: sample files, admin form data, response bodies. Fixtures live in
the conftest.py files; this module holds only plain functions and constants, imported by name."""

import datetime
import importlib
import io
import re
from urllib.parse import unquote

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import NewsClip

SEED_SLUG = "gwangju-a-year-in-innovation"


def image_bytes(fmt="JPEG", size=(64, 48), color=(20, 90, 160), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def pdf_bytes(text="Hello"):
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


_counter = {"n": 0}


def next_number():
    """A number no other call in this run returns, for unique titles and slugs."""
    _counter["n"] += 1
    return _counter["n"]


def protected_files():
    """Every file under the protected media root, as paths relative to it."""
    from django.conf import settings

    root = settings.PROTECTED_MEDIA_ROOT
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def clip_form_data(*, images=(), attachments=(), **overrides):
    """POST data for the NewsClip admin add view, with the two inline formsets.

    `images` holds dicts of ClipImage inline fields (image, alt_text, caption);
    `attachments` holds dicts of Attachment inline fields (file, title).
    """
    n = next_number()
    data = {
        "title": f"Admin clip {n}",
        "slug": f"admin-clip-{n}",
        "subtitle": "",
        "highlights": "",
        "body": "<p>Body.</p>",
        "author_name": "Press office",
        "status": NewsClip.Status.PUBLISHED,
        "publish_at_0": "2019-07-09",
        "publish_at_1": "10:00:00",
    }
    for prefix, rows in (("images", images), ("attachments", attachments)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-position"] = str(index)
            for field, value in row.items():
                data[f"{prefix}-{index}-{field}"] = value
    data.update(overrides)
    return data


def body(response):
    """The bytes a client receives, whether the response streams or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def attachment_url(attachment):
    return reverse("news:attachment", kwargs={"slug": attachment.clip.slug, "pk": attachment.pk})


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\\x00-\x1f\x7f]|\\[\t\x20-\x7e])*"'
_PARAM = re.compile(rf"\s*;\s*({_TOKEN})\s*=\s*({_TOKEN}|{_QUOTED})")


def disposition_params(header):
    """Parse a Content-Disposition value by the RFC 6266 grammar, failing on anything left over."""
    match = re.match(rf"\s*({_TOKEN})", header)
    disposition, position, params = match[1], match.end(), {}
    while position < len(header):
        match = _PARAM.match(header, position)
        assert match, f"unparseable from {position}: {header!r}"
        name = match[1].lower()
        assert name not in params, f"duplicate parameter {name}"
        params[name] = match[2]
        position = match.end()
    return disposition, params


def disposition_filename(header):
    """The name a browser saves the file as: filename* when present (RFC 6266 §4.3), else filename."""
    _, params = disposition_params(header)
    if "filename*" in params:
        charset, _, encoded = params["filename*"].split("'", 2)
        assert charset.upper() == "UTF-8"
        return unquote(encoded, encoding="utf-8", errors="strict")
    value = params["filename"]
    assert value.startswith('"') and value.endswith('"')
    return re.sub(r"\\(.)", r"\1", value[1:-1])


def ensure_roles():
    """The Editors and Publishers groups as their migration makes them: a transactional test
    elsewhere in the run (the browser tests) flushes the database, groups included."""
    if Group.objects.filter(name__in=["Editors", "Publishers"]).count() < 2:
        migration = importlib.import_module("news.migrations.0006_editor_and_publisher_groups")
        migration.create_groups(django_apps, None)
        library = importlib.import_module("news.migrations.0020_library_from_existing_files")
        library.library_permissions(django_apps, None)
        departments = importlib.import_module("news.migrations.0022_roles_view_departments")
        departments.roles_view_departments(django_apps, None)


def change_url(clip):
    return reverse("admin:news_newsclip_change", args=[clip.pk])


def _put(data, name, value):
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)  # the form reads local (KST) times
        data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    elif isinstance(value, list | tuple):
        data[name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
    elif isinstance(value, bool):
        if value:
            data[name] = "on"
    elif hasattr(value, "name") and not isinstance(value, str):
        return  # a stored file: the browser sends nothing for it
    else:
        data[name] = str(value)


def form_data(client, clip, **changes):
    """What the change form of `clip` posts if nothing is touched, with `changes` on top."""
    response = client.get(change_url(clip))
    assert response.status_code == 200
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, form.add_prefix(name), form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = str(formset.management_form[name].value())
        for row in formset.forms:
            for name in row.fields:
                _put(data, row.add_prefix(name), row[name].value())
    for name, value in changes.items():
        data.pop(name, None)
        _put(data, name, value)
    return data


def post_change(client, clip, step="save", **changes):
    data = form_data(client, clip, **changes)
    data["_workflow"] = step
    return client.post(change_url(clip), data)


def library_change_data(item, **extra):
    """The media library's change form as a browser sends it, unchanged unless `extra` says otherwise."""
    data = {"title": item.title, "department": ""}
    if hasattr(item, "alt_text"):
        data.update(alt_text=item.alt_text, caption=item.caption, credit=item.credit)
    data.update(extra)
    return data


# Our own words in the admin, in English: none may be left on a page in Korean (tests/news/admin/
# test_korean_admin.py, tests/browser/test_korean_morning.py).
ADMIN_ENGLISH = [
    "Save draft",
    "Submit for review",
    "Publish now",
    "Schedule…",
    "Unpublish",
    "Preview",
    "Review queue",
    "Publishing",
    "Responsibility",
    "Related",
    "Metadata",
    "Share card preview",
    "Checks",
    "Approve now",
    "Approve for this time",
    "Send back",
    "Comment for the editor",
    "Nothing is waiting for review",
    "In review",
    "Lead photo",
    "Type, size, downloads, PDF",
    "News clip",
    "news clip",
    "Title",
    "Subtitle",
    "Highlights",
    "Publish date",
    "Expiry",
    "Alt text",
    "Caption",
    "Photos",
    "Files",
    "State",
    "History",
    "View on site",
    "Compare with the live version",
    "the scheduler",
    "This clip has unpublished changes",
    "Gwangju Newsroom",
    "Submitted for review",
    "Revisions",
    "Restore as draft",
]


def admin_english_left(text, content=()):
    """The labels of ADMIN_ENGLISH still in `text`, once `content` (words that are English on
    purpose: a clip's title, recorded notes) is taken out."""
    for words in content:
        text = text.replace(words, " ")
    return [label for label in ADMIN_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])", text)]
