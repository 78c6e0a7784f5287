"""Admin forms for photos and attachments: every file is checked before anything is stored."""

from django import forms
from django.core import validators

from .models import Attachment, ClipImage
from .uploads import check_attachment, check_photo


def _leave_name_length_to_the_upload_check(field):
    """Django's file field counts the raw name's characters, so a Korean name from a Mac
    (decomposed, NFD) is refused at twice its real length. The stored name is generated
    and short; the original name is capped once normalised, by `clean_original_name`."""
    field.max_length = None
    field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]


class ClipImageForm(forms.ModelForm):
    class Meta:
        model = ClipImage
        fields = ["position", "image", "alt_text", "caption"]
        error_messages = {"alt_text": {"required": "Describe the photo for people who cannot see it."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_name_length_to_the_upload_check(self.fields["image"])

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            return check_photo(image)
        return image


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["position", "file", "title", "pdf_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_name_length_to_the_upload_check(self.fields["file"])
        _leave_name_length_to_the_upload_check(self.fields["pdf_version"])

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
