"""Revisions: every step in a clip's life, with a snapshot of its content."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models.clips import NewsClip


class ClipRevision(models.Model):
    """One recorded step in a clip's life: who did what, when, and the clip's content then.

    `data` is a snapshot of everything an editor writes (text fields, times, related items,
    photo and attachment lists), so any two revisions can be compared and an old one restored.
    A clip on the site has at most one `pending` revision: its draft, not yet public.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        DRAFTED = "drafted", _("Saved a draft")
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        WENT_LIVE = "went_live", _("Went live as scheduled")
        EXPIRED = "expired", _("Expired")
        RESTORED = "restored", _("Restored an older revision")
        DISCARDED = "discarded", _("Discarded the draft")
        REPLACED = "replaced", _("A library file was replaced")
        TAKEN_DOWN = "taken_down", _("A library file was taken down everywhere")

    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("clip"))
    created = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(max_length=12, choices=Action.choices, verbose_name=_("action"))
    note = models.TextField(
        blank=True, help_text=_("A reviewer's comment, or what a bulk action covered."), verbose_name=_("note")
    )
    data = models.JSONField(encoder=DjangoJSONEncoder, verbose_name=_("data"))
    pending = models.BooleanField(
        default=False, help_text=_("The clip's unpublished draft."), verbose_name=_("pending")
    )

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = ["created", "id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["clip"],
                condition=models.Q(pending=True),
                name="revision_one_draft_per_clip",
                violation_error_message="A clip has at most one pending draft.",
            )
        ]
        indexes = [models.Index(fields=["clip", "-created"], name="revision_clip_idx")]

    def __str__(self):
        return _("%(action)s by %(who)s, %(when)s KST") % {
            "action": self.get_action_display(),
            "who": self.user or _("the scheduler"),
            "when": f"{timezone.localtime(self.created):%Y-%m-%d %H:%M}",
        }
