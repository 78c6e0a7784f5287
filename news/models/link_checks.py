"""The last check of each outbound address found in clip bodies (news/links/checks.py writes them)."""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def url_hash(url):
    return hashlib.sha256(url.encode()).hexdigest()


class LinkCheck(models.Model):
    """The last check of one outbound address."""

    url = models.TextField(_("address"))
    url_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("url hash"))
    ok = models.BooleanField(
        _("works"), null=True, help_text=_("Empty until checked, or when it could not be checked.")
    )
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["ok", "-checked_at"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        indexes = [models.Index(fields=["checked_at"], name="linkcheck_due_idx")]

    def __str__(self):
        return self.url

    def save(self, *args, **kwargs):
        self.url_hash = url_hash(self.url)
        super().save(*args, **kwargs)
