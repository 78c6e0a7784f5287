"""Admin forms for photos and attachments: every file is checked before anything is stored, a refusal
says what the file really is and what to do, and a file that passed is kept across a failed save."""

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from news.files.checks import check_attachment, check_photo, clean_original_name
from news.files.library import reused_message, store_document, store_photo
from news.files.staging import StagedUploadsFormMixin
from news.models import Attachment, ClipImage


def _leave_name_length_to_the_upload_check(field):
    """Django's file field counts the raw name's characters, so a Korean name from a Mac
    (decomposed, NFD) is refused at twice its real length. The stored name is generated
    and short; the original name is capped once normalised, by `clean_original_name`."""
    field.max_length = None
    field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]


class LibraryUseFormMixin:
    """A clip's photo or attachment row that uses a library item: chosen from the library, or
    uploaded here, which puts the file into the library (or finds it there: the same bytes are
    never stored twice). `library_note` says so when an upload was already in the library."""

    library_field = ""  # "photo" or "document"
    upload_field = ""  # "image" or "file"

    def __init__(self, *args, library_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.library_user = library_user
        self.library_note = None
        self.fields[self.upload_field].required = False
        chooser = self.fields[self.library_field]
        chooser.required = False
        chooser.help_text = _("Or choose one from the library.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        uploaded = self.upload_field in self.changed_data and cleaned.get(self.upload_field)
        chosen = cleaned.get(self.library_field)
        if uploaded and chosen and self.library_field in self.changed_data:
            raise ValidationError(_("Upload a file or choose one from the library, not both."), code="both")
        if not uploaded and not chosen and not getattr(self.instance, f"{self.library_field}_id", None):
            if self.upload_field not in self.errors and not (self.instance.pk and self._stored_name()):
                self.add_error(
                    self.upload_field, _("This field is required. Upload a file or choose one from the library.")
                )
        return cleaned

    def _uploaded_name(self):
        return ""

    def _stored_name(self):
        return getattr(self.instance, self.upload_field).name

    def _owner(self):
        return getattr(self, "library_user", None)

    def save(self, commit=True):
        upload = self._library_upload()
        if upload is not None:
            item, created = upload
            if not created:
                self.library_note = reused_message(item)
            self._use(item)
            # The same bytes under another name: this clip offers them under the name uploaded here.
            self.instance.original_name = self._uploaded_name() or self.instance.original_name
        elif self.library_field in self.changed_data and self.cleaned_data.get(self.library_field):
            self._use(self.cleaned_data[self.library_field])
        return super().save(commit=commit)


class ClipImageForm(LibraryUseFormMixin, StagedUploadsFormMixin, forms.ModelForm):
    staged_fields = ("image",)
    library_field = "photo"
    upload_field = "image"

    class Meta:
        model = ClipImage
        fields = ["position", "photo", "image", "alt_text", "caption"]
        # Our own check decodes the photo; Django's image field would answer first, and only
        # "not an image or corrupted", whatever the file is.
        field_classes = {"image": forms.FileField}
        error_messages = {"alt_text": {"required": _("Describe the photo for people who cannot see it.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_name_length_to_the_upload_check(self.fields["image"])
        self.fields["alt_text"].required = False
        self.fields["alt_text"].help_text = _(
            "Describe what the photo shows, for people who cannot see it (read aloud). "
            "Left empty, the library's alt text is used."
        )
        self.fields["caption"].help_text = _("Shown under the photo on the page. Left empty, the library's caption.")

    def stored_file(self, name):
        photo = self.instance
        return photo.original_url, photo.original_name or _("Photo, %(width)s × %(height)s px") % {
            "width": photo.width,
            "height": photo.height,
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            checked = check_photo(image)
            self.instance.original_name = clean_original_name(image.name)[:255]
            self._checked = checked
            return checked
        return image

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE") or "alt_text" in self.errors or cleaned.get("alt_text"):
            return cleaned
        if not self.has_changed() and not self.instance.pk:
            return cleaned
        # The library's alt text fills in only for a photo chosen now; an upload brings its own
        # (it becomes the library's), and a row in place keeps needing one.
        chosen_now = "photo" in self.changed_data and cleaned.get("photo")
        if not (chosen_now and cleaned["photo"].alt_text and not getattr(self, "_checked", None)):
            self.add_error("alt_text", self.Meta.error_messages["alt_text"]["required"])
        return cleaned

    def _library_upload(self):
        checked = getattr(self, "_checked", None)
        if checked is None:
            return None
        return store_photo(
            checked,
            original_name=self.instance.original_name,
            user=self._owner(),
            alt_text=self.cleaned_data.get("alt_text", ""),
            caption=self.cleaned_data.get("caption", ""),
        )

    def _use(self, photo):
        self.instance.use_photo(photo)


class AttachmentForm(LibraryUseFormMixin, StagedUploadsFormMixin, forms.ModelForm):
    staged_fields = ("file",)
    library_field = "document"
    upload_field = "file"

    class Meta:
        model = Attachment
        fields = ["position", "document", "file", "title", "pdf_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_name_length_to_the_upload_check(self.fields["file"])
        _leave_name_length_to_the_upload_check(self.fields["pdf_version"])

    def stored_file(self, name):
        return self.instance.get_absolute_url(), self.instance.original_name

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            name, kind, to_store = check_attachment(uploaded)
            self._checked = (name, kind, to_store)
            return to_store
        return uploaded

    def clean_pdf_version(self):
        uploaded = self.cleaned_data.get("pdf_version")
        if uploaded and "pdf_version" in self.changed_data:
            _name, kind, to_store = check_attachment(uploaded)
            if kind.container != "pdf":
                raise forms.ValidationError(_("The accessible version must be a PDF file."), code="not_pdf")
            self._checked_pdf = to_store
            return to_store
        return uploaded

    def _library_upload(self):
        checked = getattr(self, "_checked", None)
        if checked is None:
            return None
        name, kind, content = checked
        return store_document(name, kind, content, user=self._owner(), title=self.cleaned_data.get("title", ""))

    def _use(self, document):
        self.instance.use_document(document)

    def _uploaded_name(self):
        return self._checked[0]

    def save(self, commit=True):
        checked_pdf = getattr(self, "_checked_pdf", None)
        if checked_pdf:
            self.instance.set_checked_pdf(checked_pdf)
        elif not self.instance.pdf_version:  # cleared in the form
            self.instance.pdf_size, self.instance.pdf_sha256 = 0, ""
        return super().save(commit=commit)
