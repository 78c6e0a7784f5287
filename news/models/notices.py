"""Notices: what the review workflow tells a member of staff in the admin (news/publishing/notifications.py
writes them, beside the e-mail)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models.clips import NewsClip


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self, now=None):
        """Mark the unread ones read; returns how many were."""
        return self.unread().update(read_at=now or timezone.now())


class Notice(models.Model):
    """One thing one person was told: a clip submitted to them for review, sent back to them, approved
    or published. The message is written in the recipient's language when it is made."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    # A deleted clip leaves its notices: they still say what happened, in words.
    clip = models.ForeignKey(
        NewsClip, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("clip")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    message = models.TextField(_("message"))
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notice_recipient_idx"),
            # The count in every admin page's header.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notice_unread_idx"),
        ]

    def __str__(self):
        return self.message.split("\n", 1)[0]

    def is_read(self):
        return self.read_at is not None
