from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import ControlCharacterFreeMixin


class TimestampedModel(ControlCharacterFreeMixin, models.Model):
    """Audit fields shared by every content model."""

    created = models.DateTimeField(auto_now_add=True, editable=False, verbose_name=_("created"))
    updated = models.DateTimeField(auto_now=True, editable=False, verbose_name=_("updated"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True


class CountedRequest(models.Model):
    """nginx request ids whose view or download is counted (core.counting): written in the
    same transaction as the count, so a request nginx retries on another instance is counted
    exactly once. Rows older than ten minutes are removed by the scheduler; on PostgreSQL the
    table is UNLOGGED (no WAL: cheap to write; emptied only if the database server crashes)."""

    key = models.CharField(max_length=64, primary_key=True, verbose_name=_("key"))
    created = models.DateTimeField(db_index=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("counted request")
        verbose_name_plural = _("counted requests")

    def __str__(self):
        return self.key


class StaffPreference(models.Model):
    """A staff member's own choices for the admin: the language it speaks to them, and the
    language of the e-mails they get (core.i18n). None chosen: the browser's language."""

    LANGUAGE_CHOICES = [("", _("The browser's language")), ("ko", "한국어"), ("en", "English")]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_preference",
        verbose_name=_("staff member"),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text=_("The language of the admin and of the e-mails it sends you. The public site is always in English."),
    )

    class Meta:
        verbose_name = _("staff preference")
        verbose_name_plural = _("staff preferences")

    def __str__(self):
        return str(self.user)
