import hashlib
import uuid
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from core.models import TimestampedModel
from policies.models import Achievement, Objective
from projects.models import Project, ResponsibleContent

from .sanitising import make_excerpt, sanitise_body


def protected_storage():
    return storages["protected"]


def _generated_name(folder, original_name):
    """Stored names are ours, never the uploader's: a random name keeping a safe extension."""
    suffix = PurePosixPath(original_name or "").suffix.lower()
    if not suffix.isascii() or not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    today = timezone.now()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def photo_upload_to(instance, filename):
    return _generated_name("photos", filename)


def attachment_upload_to(instance, filename):
    return _generated_name("attachments", filename)


class NewsClipQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public may see."""
        return self.filter(status=NewsClip.Status.PUBLISHED, publish_at__lte=timezone.now())

    def cards(self):
        """Clips as list pages show them: one query for the clips, one for their photos."""
        photos = models.Prefetch(
            "images",
            queryset=ClipImage.objects.only("id", "clip_id", "position", "width", "height", "alt_text"),
            to_attr="photos",
        )
        # A correlated count rather than GROUP BY, so ORDER BY ... LIMIT can walk
        # the publication index instead of aggregating every clip first.
        attachment_count = (
            Attachment.objects.filter(clip=models.OuterRef("pk"))
            .order_by()
            .values("clip")
            .annotate(n=models.Count("id"))
            .values("n")
        )
        return (
            self.only("id", "slug", "title", "subtitle", "excerpt", "publish_at", "view_count", "status")
            .annotate(num_attachments=Coalesce(models.Subquery(attachment_count), 0))
            .prefetch_related(photos)
            # Meta.ordering is not applied to aggregated queries: order explicitly.
            .order_by("-publish_at", "-id")
        )


class NewsClip(ResponsibleContent, TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True, error_messages={"unique": "Another news clip already uses this slug."}
    )
    subtitle = models.CharField(max_length=300, blank=True)
    highlights = models.TextField(blank=True, help_text='One highlight per line (the "|" lines).')
    body = models.TextField(help_text="Rich text; unsafe HTML is removed when saved.")
    excerpt = models.TextField(editable=False, blank=True, help_text="Plain-text start of the body, for lists.")
    author_name = models.CharField(
        "name", max_length=100, default="admin", help_text="The name shown on the page; not the editor's login."
    )
    publish_at = models.DateTimeField(
        "publish date", default=timezone.now, help_text="A future time schedules the clip."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    view_count = models.PositiveIntegerField("views", default=0)
    projects = models.ManyToManyField(Project, blank=True, related_name="news_clips")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="news_clips")
    achievements = models.ManyToManyField(Achievement, blank=True, related_name="news_clips")

    objects = NewsClipQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        verbose_name = "news clip"
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="clip_public_order_idx"),
            models.Index(Lower("title"), name="clip_title_lower_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.body = sanitise_body(self.body)
        self.excerpt = make_excerpt(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "excerpt"}
        super().save(*args, **kwargs)

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    def count_view(self):
        """Count one reader's view in the database, never read-modify-write, leaving
        `updated` alone; returns the count to show."""
        NewsClip.objects.filter(pk=self.pk).update(view_count=models.F("view_count") + 1)
        return self.view_count + 1

    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def highlight_lines(self):
        return [line.strip().lstrip("|").strip() for line in self.highlights.splitlines() if line.strip()]


class ClipImage(models.Model):
    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Lower numbers come first.")
    image = models.ImageField(
        upload_to=photo_upload_to,
        storage=protected_storage,
        width_field="width",
        height_field="height",
        max_length=200,
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    caption = models.CharField(max_length=300, blank=True)
    alt_text = models.CharField(max_length=300, help_text="Describe what the photo shows for people who cannot see it.")
    is_placeholder = models.BooleanField(
        default=False, editable=False, help_text="A placeholder image shipped with the seed content."
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "photo"
        indexes = [models.Index(fields=["clip", "position"], name="clipimage_order_idx")]

    def __str__(self):
        return self.caption or self.alt_text

    def get_absolute_url(self):
        return self.url("large")

    def url(self, size):
        return reverse("news:photo", kwargs={"slug": self.clip.slug, "pk": self.pk, "size": size})

    @property
    def thumb_url(self):
        return self.url("thumb")

    @property
    def large_url(self):
        return self.url("large")

    @property
    def original_url(self):
        return self.url("original")


class Attachment(models.Model):
    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Lower numbers come first.")
    file = models.FileField(upload_to=attachment_upload_to, storage=protected_storage, max_length=200)
    title = models.CharField("display title", max_length=300, blank=True)
    original_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    content_type = models.CharField(max_length=150, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    download_count = models.PositiveIntegerField("downloads", default=0)
    pdf_version = models.FileField(
        "also as PDF",
        upload_to=attachment_upload_to,
        storage=protected_storage,
        max_length=200,
        blank=True,
        help_text="Optional: the same document as a PDF, for readers who cannot open HWP or Office files.",
    )
    pdf_size = models.PositiveBigIntegerField(default=0, editable=False)
    pdf_sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["clip", "position"], name="attachment_order_idx")]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("news:attachment", kwargs={"slug": self.clip.slug, "pk": self.pk})

    def get_pdf_url(self):
        return reverse("news:attachment_pdf", kwargs={"slug": self.clip.slug, "pk": self.pk})

    @property
    def display_title(self):
        return self.title or self.original_name

    @property
    def pdf_name(self):
        """The PDF version's download name: the original's, ending in .pdf."""
        return str(PurePosixPath(self.original_name or "document").with_suffix(".pdf"))

    def set_checked_pdf(self, content):
        """Attach a PDF version that passed `uploads.check_attachment` as a PDF."""
        content.seek(0)
        self.pdf_sha256 = hashlib.file_digest(content, "sha256").hexdigest()
        content.seek(0)
        self.pdf_version = content
        self.pdf_size = content.size

    @property
    def type_label(self):
        from .filetypes import label_for

        return label_for(self.content_type, self.original_name)

    def set_checked_file(self, original_name, kind, content):
        """Attach a file that passed `uploads.check_attachment`, recording its facts."""
        content.seek(0)
        self.sha256 = hashlib.file_digest(content, "sha256").hexdigest()
        content.seek(0)
        self.file = content
        self.original_name = original_name
        self.content_type = kind.content_type
        self.size = content.size
