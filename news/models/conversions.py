"""Attachments' PDFs for reading in the browser, and the queue that makes them (news.files.conversions)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import protected_storage
from news.models.clips import Attachment, _generated_name


def conversion_upload_to(instance, filename):
    return _generated_name("conversions", filename)


class ConversionQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued conversions whose time has come, oldest first."""
        now = now or timezone.now()
        return self.filter(status=Conversion.Status.QUEUED, available_at__lte=now).order_by("available_at", "pk")


class Conversion(models.Model):
    """An attachment's PDF for reading in the browser, and the queue that makes it.

    A row is queued (news.files.conversions.enqueue) when a document is uploaded, replaced or
    retitled, in the same transaction, so the queue holds exactly what is committed and
    survives any restart; `convert_attachments` works through it (news.files.conversions.run_queue)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Converting")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, related_name="conversion", verbose_name=_("attachment")
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status"))
    source_sha256 = models.CharField(_("SHA-256 of the file to convert"), max_length=64)
    title = models.CharField(_("title written into the PDF"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    reason = models.TextField(_("why it failed"), blank=True)
    available_at = models.DateTimeField(_("next try"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    pdf = models.FileField(
        upload_to=conversion_upload_to, storage=protected_storage, max_length=200, blank=True, verbose_name=_("pdf")
    )
    # The file the PDF (and `text`) was made from: a PDF is shown only while this is still the
    # attachment's file, and is kept while a new one is made of the same file (a new title).
    made_from_sha256 = models.CharField(max_length=64, blank=True, editable=False, verbose_name=_("made from sha256"))
    pages = models.PositiveIntegerField(default=0, verbose_name=_("pages"))
    pdf_size = models.PositiveBigIntegerField(default=0, verbose_name=_("pdf size"))
    pdf_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("pdf sha256"))
    tagged = models.BooleanField(_("tagged PDF"), default=False)
    language = models.CharField(max_length=16, blank=True, verbose_name=_("language"))
    text = models.TextField(_("text"), blank=True, help_text=_("The document's text, for search while it is live."))

    objects = ConversionQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversion to PDF")
        verbose_name_plural = _("conversions to PDF")
        indexes = [models.Index(fields=["status", "available_at"], name="conversion_queue_idx")]

    def __str__(self):
        return f"{self.attachment} ({self.get_status_display()})"

    def is_ready_for(self, attachment):
        return bool(self.pdf) and self.made_from_sha256 == attachment.sha256
