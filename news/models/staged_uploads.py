"""Uploads kept across a form error (news.files.staging)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StagedUpload(models.Model):
    """A file that passed its checks in a form that failed on something else, kept for the editor's
    next try so it need not be chosen again. It belongs to one login session and expires."""

    token = models.UUIDField(primary_key=True, verbose_name=_("token"))
    owner = models.CharField(
        max_length=64, help_text=_("SHA-256 of the user and the session the file was sent in."), verbose_name=_("owner")
    )
    stored_name = models.CharField(max_length=200, verbose_name=_("stored name"))
    original_name = models.CharField(max_length=255, verbose_name=_("original name"))
    created = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")

    def __str__(self):
        return self.original_name
