from django.conf import settings
from django.db import models


class TimestampedModel(models.Model):
    """Audit fields shared by every content model."""

    created = models.DateTimeField(auto_now_add=True, editable=False)
    updated = models.DateTimeField(auto_now=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class StagedUpload(models.Model):
    """A file that passed its checks in a form that failed on something else, kept for the editor's
    next try so it need not be chosen again. It belongs to one login session and expires."""

    token = models.UUIDField(primary_key=True)
    owner = models.CharField(max_length=64, help_text="SHA-256 of the user and the session the file was sent in.")
    stored_name = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "staged upload"

    def __str__(self):
        return self.original_name
