"""Photos and files chosen on the clip form but not saved yet, shown by the form's Preview.

Preview saves nothing, so a new upload has no row and no public address. Each one that passed
its checks is staged for the editor's session (`news.files.staging`, the store that keeps uploads
across a form error) and shown from `staged_file_response`, which answers only the session that
staged it. Staged files expire with the others (`clear_staged_uploads`).
"""

from django.http import FileResponse, Http404
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from core.filetypes import label_for
from news.files.staging import claim, stage, upload_owner
from news.models import ClipImage

INLINE_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def new_upload(row_form):
    """(field name, checked file, original name) of a row form's new, checked upload; None without one."""
    field = "image" if row_form._meta.model is ClipImage else "file"
    if row_form.errors or field not in row_form.changed_data:
        return None
    checked = row_form.cleaned_data.get(field)
    if not checked:
        return None
    original = (
        getattr(row_form.staged.get(field), "original_name", None) or row_form.files[row_form.add_prefix(field)].name
    )
    return field, checked, original


class StagedPhoto:
    """What the clip page reads from a photo, for one not saved yet."""

    pk = None

    def __init__(self, row, url):
        self.alt_text, self.caption, self.position = row.alt_text, row.caption, row.position
        self.width, self.height = row.width or None, row.height or None
        self.preview_url = self.large_url = self.original_url = url


class StagedAttachment:
    """What the clip page reads from an attachment, for one not saved yet."""

    pk = None
    pdf_version = None

    def __init__(self, row, original_name, content_type, size, url):
        self.title, self.position, self.original_name = row.title, row.position, original_name
        self.content_type, self.size, self.preview_url = content_type, size, url

    @property
    def display_title(self):
        return self.title or self.original_name

    @property
    def type_label(self):
        return label_for(self.content_type, self.original_name)


def staged_rows(request, uploads):
    """`uploads`: (row form, field, checked file, original name). Stages each file for this session
    and returns the page's stand-ins for the rows, photos and attachments."""
    owner = upload_owner(request)
    photos, attachments = [], []
    for row_form, field, checked, original in uploads:
        staged = row_form.staged.get(field) or stage(checked, original, owner)
        url = reverse("admin:news_newsclip_staged", args=[staged.token])
        row = row_form.instance
        if field == "image":
            photos.append(StagedPhoto(row, url))
        else:
            _name, kind, content = row_form._checked
            attachments.append(StagedAttachment(row, original, kind.content_type, content.size, url))
    return photos, attachments


def staged_file_response(request, token):
    """The staged file, to the session that staged it: photos shown inline, other files downloaded."""
    claimed = claim(token, upload_owner(request))
    if claimed is None:
        raise Http404("This file is no longer kept: choose it again on the form.")
    staged, upload = claimed
    try:
        with Image.open(upload.file) as image:
            content_type = INLINE_IMAGE_TYPES.get(image.format)
    except (UnidentifiedImageError, OSError):
        content_type = None
    upload.file.seek(0)
    if content_type:
        response = FileResponse(upload.file, content_type=content_type)
    else:
        response = FileResponse(
            upload.file, as_attachment=True, filename=staged.original_name, content_type="application/octet-stream"
        )
    response["Cache-Control"] = "private, no-store"
    return response


def preview_order(row):
    """The order a save gives: a new row without a place of its own goes after the others (adminsortable2)."""
    position = row.position if row.pk or row.position > 0 else 10**6
    return position, row.pk or 10**9
