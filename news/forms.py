"""Admin forms for photos and attachments: every file is checked before anything is stored, a refusal
says what the file really is and what to do, and a file that passed is kept across a failed save."""

from pathlib import PurePosixPath

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

from .filetypes import IMAGE_CONTAINERS, KINDS, sniff_container
from .models import Attachment, ClipImage
from .staging import StagedUploadsFormMixin
from .uploads import check_attachment, check_photo, clean_original_name

PHOTO_TYPES = "Upload a JPEG, PNG, WebP or GIF photo."
# What the bytes of a file are, in words, and the name ending that file should have.
_CONTENT = {
    "pdf": ("a PDF document", ".pdf"),
    "hwp": ("an HWP document", ".hwp"),
    "doc": ("a Word 97–2003 document", ".doc"),
    "xls": ("an Excel 97–2003 workbook", ".xls"),
    "ppt": ("a PowerPoint 97–2003 presentation", ".ppt"),
    "cfb": ("an HWP or Office 97–2003 file that is damaged or of another kind", None),
    "broken-cfb": ("an HWP or Office 97–2003 file that is damaged or of another kind", None),
    "broken-zip": ("a damaged ZIP archive", None),
    "hwpx": ("an HWPX document", ".hwpx"),
    "ooxml-word": ("a Word document", ".docx"),
    "ooxml-xl": ("an Excel workbook", ".xlsx"),
    "ooxml-ppt": ("a PowerPoint presentation", ".pptx"),
    "zip": ("a ZIP archive", ".zip"),
    "text": ("plain text", ".txt"),
    "jpeg": ("a JPEG image", ".jpg"),
    "png": ("a PNG image", ".png"),
    "webp": ("a WebP image", ".webp"),
    "gif": ("a GIF image", ".gif"),
}
_SCRIPTABLE = {
    ".svg": "SVG images can carry scripts and are not accepted; export the picture as PNG or JPEG.",
    ".html": "Web pages can carry scripts and are not accepted; save the page as PDF and attach that.",
    ".htm": "Web pages can carry scripts and are not accepted; save the page as PDF and attach that.",
}


def _what_it_is(uploaded):
    """What the bytes are, in words, and the name ending they should have (None: not accepted at all)."""
    found = sniff_container(uploaded)
    if found in _CONTENT:
        return _CONTENT[found]
    head = uploaded.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    uploaded.seek(0)
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return "an SVG drawing", None
    if head.startswith((b"<!doctype", b"<html", b"<script", b"<body")) or b"<script" in head:
        return "a web page (HTML)", None
    if found == "other:application/x-msdownload" or head.startswith(b"mz"):
        return "a Windows program", None
    if found.startswith("other:image/"):
        return f"a {found.removeprefix('other:image/').upper()} image", None
    return "not a file type we accept", None


def _explained(uploaded, error, *, photo):
    """The checker's refusal, said the way an editor can act on it."""
    suffix = PurePosixPath(uploaded.name or "").suffix.lower()
    if suffix in _SCRIPTABLE:
        return ValidationError(_SCRIPTABLE[suffix], code="scriptable")
    if error.code not in {"type_mismatch", "photo_type"}:
        return error
    what, right = _what_it_is(uploaded)
    if what == "an SVG drawing":
        return ValidationError(_SCRIPTABLE[".svg"], code="scriptable")
    if photo and not (right in KINDS and KINDS[right].container in IMAGE_CONTAINERS):
        return ValidationError(f"This file is {what}, not a photo. {PHOTO_TYPES}", code=error.code)
    expected = KINDS[suffix].label if suffix in KINDS else suffix
    if right is None:
        return ValidationError(
            f"This file is {what}, but its name ends in “{suffix}”. It cannot be accepted; choose the {expected} file.",
            code=error.code,
        )
    return ValidationError(
        f"This file is {what}, but its name ends in “{suffix}”. Rename it to “{right}” or choose the {expected} file.",
        code=error.code,
    )


def _leave_name_length_to_the_upload_check(field):
    """Django's file field counts the raw name's characters, so a Korean name from a Mac
    (decomposed, NFD) is refused at twice its real length. The stored name is generated
    and short; the original name is capped once normalised, by `clean_original_name`."""
    field.max_length = None
    field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]


class ClipImageForm(StagedUploadsFormMixin, forms.ModelForm):
    staged_fields = ("image",)

    class Meta:
        model = ClipImage
        fields = ["position", "image", "alt_text", "caption"]
        # Our own check decodes the photo; Django's image field would answer first, and only
        # "not an image or corrupted", whatever the file is.
        field_classes = {"image": forms.FileField}
        error_messages = {"alt_text": {"required": "Describe the photo for people who cannot see it."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_name_length_to_the_upload_check(self.fields["image"])

    def stored_file(self, name):
        photo = self.instance
        return photo.original_url, photo.original_name or f"Photo, {photo.width} × {photo.height} px"

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            try:
                checked = check_photo(image)
            except ValidationError as error:
                raise _explained(image, error, photo=True) from None
            self.instance.original_name = clean_original_name(image.name)[:255]
            return checked
        return image


class AttachmentForm(StagedUploadsFormMixin, forms.ModelForm):
    staged_fields = ("file",)

    class Meta:
        model = Attachment
        fields = ["position", "file", "title", "pdf_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_name_length_to_the_upload_check(self.fields["file"])
        _leave_name_length_to_the_upload_check(self.fields["pdf_version"])

    def stored_file(self, name):
        return self.instance.get_absolute_url(), self.instance.original_name

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                name, kind, to_store = check_attachment(uploaded)
            except ValidationError as error:
                raise _explained(uploaded, error, photo=False) from None
            self._checked = (name, kind, to_store)
            return to_store
        return uploaded

    def clean_pdf_version(self):
        uploaded = self.cleaned_data.get("pdf_version")
        if uploaded and "pdf_version" in self.changed_data:
            _name, kind, to_store = check_attachment(uploaded)
            if kind.container != "pdf":
                raise forms.ValidationError("The accessible version must be a PDF file.", code="not_pdf")
            self._checked_pdf = to_store
            return to_store
        return uploaded

    def save(self, commit=True):
        checked = getattr(self, "_checked", None)
        if checked:
            self.instance.set_checked_file(*checked)
        checked_pdf = getattr(self, "_checked_pdf", None)
        if checked_pdf:
            self.instance.set_checked_pdf(checked_pdf)
        elif not self.instance.pdf_version:  # cleared in the form
            self.instance.pdf_size, self.instance.pdf_sha256 = 0, ""
        return super().save(commit=commit)
