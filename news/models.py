import hashlib
import uuid
import zlib
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from core.models import TimestampedModel
from core.rich_text import RichTextField, sanitise
from core.search import mark_matches
from core.text import ControlCharacterFreeMixin
from policies.models import Achievement, Objective
from projects.models import Project, ResponsibleContent

from .sanitising import make_excerpt, plain_text


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
    def published(self, now=None):
        """The one rule for what the public may see: published or scheduled, its publish
        time reached, its expiry (if any) not. Exact to the second, whether or not the
        scheduler has run yet (the scheduler only records the change and refreshes caches)."""
        now = now or timezone.now()
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now),
            status__in=NewsClip.ON_SITE_STATUSES,
            publish_at__lte=now,
        )

    def cards(self):
        """Clips as list pages show them: one query for the clips, one for their photos."""
        photos = models.Prefetch(
            "images",
            queryset=ClipImage.objects.live().only("id", "clip_id", "position", "image", "width", "height", "alt_text"),
            to_attr="photos",
        )
        # A correlated count rather than GROUP BY, so ORDER BY ... LIMIT can walk
        # the publication index instead of aggregating every clip first.
        attachment_count = (
            Attachment.objects.live()
            .filter(clip=models.OuterRef("pk"))
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
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class Review(models.TextChoices):
        NONE = "", "—"
        REQUESTED = "requested", "In review"
        SENT_BACK = "sent_back", "Sent back"

    # Statuses whose row is (or will become by itself) what the public sees: edits to
    # such a clip go to a draft revision, never to the row.
    ON_SITE_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of the clip's web address (/news/…/): filled in from the title; lower-case, hyphens.",
        error_messages={"unique": "Another news clip already uses this slug."},
    )
    subtitle = models.CharField(max_length=300, blank=True)
    highlights = models.TextField(
        blank=True,
        help_text=(
            "The key points shown in bold under the subtitle, one per line "
            '(the lines starting with "|" in a press release; the "|" is optional).'
        ),
    )
    body = RichTextField(
        help_text="Paste from Word, HWP or a web page: headings, lists, links and tables are kept, the rest is removed."
    )
    excerpt = models.TextField(editable=False, blank=True, help_text="Plain-text start of the body, for lists.")
    body_text = models.TextField(editable=False, blank=True, help_text="The body as plain text, for search.")
    # Kept current by news.search.index_clips (PostgreSQL only; SQLite searches its FTS5 table).
    search_vector = SearchVectorField(null=True, editable=False)
    author_name = models.CharField(
        "name", max_length=100, default="admin", help_text="The name shown on the page; not the editor's login."
    )
    publish_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        help_text=(
            "Seoul time (Asia/Seoul, UTC+9), whatever your computer's clock says. "
            "A time in the future schedules the clip: it appears on the site by itself at that time."
        ),
    )
    expires_at = models.DateTimeField(
        "expiry", null=True, blank=True, help_text="Optional: the clip leaves the site at this time."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.NONE, blank=True, editable=False)
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
            # What the public sees, newest first: `published()` filters on status IN (...), which the
            # index above cannot return in publication order (PostgreSQL sorted all 100,000 clips
            # for the first page). Partial on the same statuses (ON_SITE_STATUSES), with expires_at
            # last (a key column, not INCLUDE, which SQLite lacks) so that counts and deep pages
            # are index-only scans.
            models.Index(
                fields=["-publish_at", "-id", "expires_at"],
                name="clip_on_site_order_idx",
                condition=models.Q(status__in=["scheduled", "published"]),
            ),
            # The sitemap's files list what the public sees in id order, 10,000 to a file, with
            # slug and lastmod: an index-only walk, where the table rows (4 KB each) took 0.3-0.8 s
            # per file at 100,000 clips.
            models.Index(
                fields=["id", "publish_at", "expires_at", "updated", "slug"],
                name="clip_on_site_sitemap_idx",
                condition=models.Q(status__in=["scheduled", "published"]),
            ),
            # The feed's and sitemap index's "last edit" (MAX(updated)) and the editors' queue.
            models.Index(fields=["updated"], name="clip_updated_idx"),
            models.Index(Lower("title"), name="clip_title_lower_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("publish_at")),
                name="clip_expires_after_publish",
                violation_error_message="The expiry must be later than the publish date.",
            ),
        ]
        permissions = [("publish_newsclip", "Can publish, schedule and unpublish news clips")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if self.status in self.ON_SITE_STATUSES:
            self.status = self.Status.SCHEDULED if self.publish_at > timezone.now() else self.Status.PUBLISHED
        self.body = sanitise(self.body)
        self.excerpt = make_excerpt(self.body)
        self.body_text = plain_text(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "excerpt", "body_text"}
        super().save(*args, **kwargs)

    def is_published(self, now=None):
        now = now or timezone.now()
        return (
            self.status in self.ON_SITE_STATUSES
            and self.publish_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    def is_on_site(self):
        """Live or scheduled: the row is what the public sees or will see."""
        return self.status in self.ON_SITE_STATUSES

    def is_scheduled(self):
        return self.status in self.ON_SITE_STATUSES and self.publish_at > timezone.now()

    def state(self, now=None):
        """What the clip is right now, whatever the scheduler has recorded yet."""
        now = now or timezone.now()
        if self.status in self.ON_SITE_STATUSES:
            if self.publish_at > now:
                return self.Status.SCHEDULED
            if self.expires_at is None or self.expires_at > now:
                return self.Status.PUBLISHED
            return self.Status.UNPUBLISHED
        return self.Status(self.status)

    @property
    def search_excerpt(self):
        """In search results, the body around the matched words, marked; elsewhere the excerpt."""
        headline = getattr(self, "headline", None)
        return mark_matches(headline) if headline else self.excerpt

    @property
    def highlight_lines(self):
        return [line.strip().lstrip("|").strip() for line in self.highlights.splitlines() if line.strip()]


class ClipSearchRow(models.Model):
    """A clip's row in SQLite's FTS5 table (news.search), so that queries can join it.
    Created by migration on SQLite only; never used on PostgreSQL."""

    clip = models.OneToOneField(
        NewsClip, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="fts_row"
    )

    class Meta:
        managed = False
        db_table = "news_clip_fts"

    def __str__(self):
        return str(self.clip_id)


class ClipFileQuerySet(models.QuerySet):
    def live(self):
        """Photos and attachments the public may see: not those added by an unpublished draft."""
        return self.filter(pending=False)


class ClipImage(ControlCharacterFreeMixin, models.Model):
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
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    caption = models.CharField(max_length=300, blank=True, help_text="Shown under the photo on the page.")
    alt_text = models.CharField(
        max_length=300, help_text="Describe what the photo shows, for people who cannot see it (read aloud)."
    )
    pending = models.BooleanField(
        default=False, editable=False, help_text="Added by a draft of a live clip; not public until it is published."
    )
    is_placeholder = models.BooleanField(
        default=False, editable=False, help_text="A placeholder image shipped with the seed content."
    )
    updated = models.DateTimeField(auto_now=True)

    objects = ClipFileQuerySet.as_manager()

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


class Attachment(ControlCharacterFreeMixin, models.Model):
    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Lower numbers come first.")
    file = models.FileField(upload_to=attachment_upload_to, storage=protected_storage, max_length=200)
    title = models.CharField("display title", max_length=300, blank=True)
    original_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    content_type = models.CharField(max_length=150, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    # The ZIP download (news/bundles.py) needs each file's CRC-32 before sending it;
    # rows older than this field get theirs on the first ZIP download.
    crc32 = models.PositiveBigIntegerField("CRC-32", null=True, editable=False)
    download_count = models.PositiveIntegerField("downloads", default=0)
    pending = models.BooleanField(
        default=False, editable=False, help_text="Added by a draft of a live clip; not public until it is published."
    )
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

    objects = ClipFileQuerySet.as_manager()

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
        digest, crc = hashlib.sha256(), 0
        while chunk := content.read(1024 * 1024):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
        self.sha256, self.crc32 = digest.hexdigest(), crc
        content.seek(0)
        self.file = content
        self.original_name = original_name
        self.content_type = kind.content_type
        self.size = content.size


class ClipRevision(models.Model):
    """One recorded step in a clip's life: who did what, when, and the clip's content then.

    `data` is a snapshot of everything an editor writes (text fields, times, related items,
    photo and attachment lists), so any two revisions can be compared and an old one restored.
    A clip on the site has at most one `pending` revision: its draft, not yet public.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        SAVED = "saved", "Saved"
        DRAFTED = "drafted", "Saved a draft"
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        WENT_LIVE = "went_live", "Went live as scheduled"
        EXPIRED = "expired", "Expired"
        RESTORED = "restored", "Restored an older revision"
        DISCARDED = "discarded", "Discarded the draft"

    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="revisions")
    created = models.DateTimeField(default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    note = models.TextField(blank=True, help_text="A reviewer's comment, or what a bulk action covered.")
    data = models.JSONField(encoder=DjangoJSONEncoder)
    pending = models.BooleanField(default=False, help_text="The clip's unpublished draft.")

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = ["created", "id"]
        verbose_name = "revision"
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
        who = self.user or "the scheduler"
        return f"{self.get_action_display()} by {who}, {timezone.localtime(self.created):%Y-%m-%d %H:%M} KST"


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
