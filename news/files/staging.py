"""Uploads kept across a form error: staged for the editor's session, claimed on the next try,
removed once saved or expired (`manage.py clear_staged_uploads`)."""

import hashlib
import logging
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.contrib.admin.widgets import AdminFileWidget
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from news.models import StagedUpload

logger = logging.getLogger(__name__)

# Long enough for an editor to fix a form after lunch; short enough that abandoned files go the same day.
LIFETIME = timedelta(hours=6)
FOLDER = "staged"


def _storage():
    return storages["protected"]


def stage(content, original_name, owner):
    token = uuid.uuid4()
    suffix = PurePosixPath(original_name).suffix.lower()
    suffix = suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 6 else ""
    content.seek(0)
    stored_name = _storage().save(f"{FOLDER}/{token.hex}{suffix}", content)
    return StagedUpload.objects.create(token=token, owner=owner, stored_name=stored_name, original_name=original_name)


def claim(token, owner):
    """The staged file for this token, as an upload, if it is this owner's and not expired; else None."""
    try:
        staged = StagedUpload.objects.get(token=uuid.UUID(str(token)), owner=owner, created__gt=_cutoff())
    except (ValueError, StagedUpload.DoesNotExist):
        return None
    storage = _storage()
    try:
        handle = storage.open(staged.stored_name)
    except OSError:
        return None
    return staged, UploadedFile(handle, name=staged.original_name, size=storage.size(staged.stored_name))


def discard_after_commit(staged):
    """Once the real row holds its own copy, the staged one goes."""

    def discard():
        _remove(staged)

    transaction.on_commit(discard)


def _remove(staged):
    try:
        _storage().delete(staged.stored_name)
    except OSError:
        logger.warning("Could not delete staged file %s", staged.stored_name, exc_info=True)
    staged.delete()


def _cutoff():
    return timezone.now() - LIFETIME


def clear_expired():
    """Remove staged uploads past their lifetime, and files in the staging folder no row knows."""
    removed = 0
    for staged in StagedUpload.objects.filter(created__lte=_cutoff()).iterator():
        _remove(staged)
        removed += 1
    storage = _storage()
    known = set(StagedUpload.objects.values_list("stored_name", flat=True))
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        files = []
    for name in files:
        path = f"{FOLDER}/{name}"
        if path not in known and storage.get_modified_time(path) <= _cutoff():
            storage.delete(path)
            removed += 1
    return removed


def kept_note(field_name, staged):
    """The hidden token and a line telling the editor the file is kept."""
    return format_html(
        '<input type="hidden" name="{}-staged" value="{}"><p class="staged-upload">{}</p>',
        field_name,
        staged.token,
        format_html(
            _(
                "Kept from your last try: <strong>{}</strong>. "
                "It is saved with the form; choose another file only to replace it."
            ),
            staged.original_name,
        ),
    )


class _StoredFile:
    """What the admin's "Currently:" line links to: a checked view, under the file's original name."""

    def __init__(self, url, name):
        self.url, self.name = url, name

    def __str__(self):
        return self.name


class StagedFileWidget(AdminFileWidget):
    """The admin's file input, plus the note and hidden token of a file kept from the last try."""

    staged_note = mark_safe("")
    current = None  # (url, name) of the stored file, set by the form

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.current:
            context["widget"]["value"] = _StoredFile(*self.current)
        return context

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer) + self.staged_note


class StagedUploadsFormMixin:
    """A model form whose checked uploads survive a failed save of the page they are on.

    `staged_fields` name the file fields; the admin (`StagedUploadsAdminMixin`) passes
    `upload_owner` and calls `keep_checked_files()` when it shows the page again with errors."""

    staged_fields = ()

    def stored_file(self, name):
        """(url, original name) of the file this row holds, for the "Currently:" link; None if none."""
        return None

    def __init__(self, *args, upload_owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_owner = upload_owner
        self.staged = {}
        for name in self.staged_fields:
            self.fields[name].widget = StagedFileWidget()
            if self.instance.pk:
                self.fields[name].widget.current = self.stored_file(name)
            key = self.add_prefix(name)
            token = self.data.get(f"{key}-staged") if self.is_bound else None
            if token and upload_owner and not self.files.get(key):
                claimed = claim(token, upload_owner)
                if claimed:
                    self.staged[name], upload = claimed
                    self.files = self.files.copy()
                    self.files[key] = upload
                    self._note(name)

    def _note(self, name):
        self.fields[name].widget.staged_note = kept_note(self.add_prefix(name), self.staged[name])

    def keep_checked_files(self):
        """Stage every upload of this form that passed its checks, for the editor's next try."""
        if not self.is_bound or not self.upload_owner or self.cleaned_data.get("DELETE"):
            return
        for name in self.staged_fields:
            if name in self.staged or name in self.errors or name not in self.changed_data:
                continue
            checked = self.cleaned_data.get(name)
            if checked:
                self.staged[name] = stage(checked, self.files[self.add_prefix(name)].name, self.upload_owner)
                self._note(name)

    def save(self, commit=True):
        for staged in self.staged.values():
            discard_after_commit(staged)
        return super().save(commit=commit)


def upload_owner(request):
    """Who may claim a file kept across a form error: this user in this login session, nobody else."""
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(f"{request.user.pk}:{request.session.session_key}".encode()).hexdigest()


class StagedUploadsAdminMixin:
    """For a ModelAdmin whose inlines use `StagedUploadsFormMixin` forms: tells each form whose
    uploads it may claim, and stages the checked ones when the page is shown again with errors."""

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.form, StagedUploadsFormMixin):
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "upload_owner": upload_owner(request)}
        return kwargs

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":  # shown again with errors: keep the files that passed
            for inline_admin_formset in context.get("inline_admin_formsets", []):
                for inline_form in inline_admin_formset.formset.forms:
                    if isinstance(inline_form, StagedUploadsFormMixin):
                        inline_form.keep_checked_files()
        return super().render_change_form(request, context, *args, **kwargs)
