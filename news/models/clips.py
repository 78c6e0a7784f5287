"""News clips, their photos and attachments; the one rule for what the public sees is
`NewsClipQuerySet.published`."""

import hashlib
import uuid
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.counting import count_once
from core.filetypes import label_for
from core.models import TimestampedModel
from core.rich_text import RichTextField, sanitise
from core.search import mark_matches
from core.storage import protected_storage
from core.text import ControlCharacterFreeMixin, make_excerpt, plain_text
from policies.models import Achievement, Objective
from projects.models import Project, ResponsibleContent


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


def live_at(now):
    """The time half of the publication rule: publish time reached, expiry (if any) not.

    Together with `status in ON_SITE_STATUSES` it is the whole rule (`published()`); kept apart
    so that an aggregate over the on-site rows can count what the public sees from the partial
    index alone (news.publishing.state)."""
    return models.Q(publish_at__lte=now) & (models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class NewsClipQuerySet(models.QuerySet):
    """The publication rule, in SQL. `NewsClip.state()` is the same rule for one row in Python;
    tests/news/models/test_publication_rule.py holds the two together."""

    def on_site(self):
        """Rows that are, or will become by themselves, what the public sees."""
        return self.filter(status__in=NewsClip.ON_SITE_STATUSES)

    def published(self, now=None):
        """The one rule for what the public may see: published or scheduled, its publish
        time reached, its expiry (if any) not. Exact to the second, whether or not the
        scheduler has run yet (the scheduler only records the change and refreshes caches)."""
        return self.on_site().filter(live_at(now or timezone.now()))

    def in_state(self, state, now=None):
        """Clips whose `state(now)` is `state` (a `NewsClip.Status`)."""
        now = now or timezone.now()
        Status = NewsClip.Status
        match state:
            case Status.PUBLISHED:
                return self.published(now)
            case Status.SCHEDULED:
                return self.on_site().filter(publish_at__gt=now)
            case Status.UNPUBLISHED:
                expired = models.Q(status__in=NewsClip.ON_SITE_STATUSES, publish_at__lte=now, expires_at__lte=now)
                return self.filter(models.Q(status=Status.UNPUBLISHED) | expired)
            case Status.DRAFT:
                return self.filter(status=Status.DRAFT)
        raise ValueError(f"Unknown state: {state!r}")

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
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Review(models.TextChoices):
        NONE = "", "—"
        REQUESTED = "requested", _("In review")
        SENT_BACK = "sent_back", _("Sent back")

    # Statuses whose row is (or will become by itself) what the public sees: edits to
    # such a clip go to a draft revision, never to the row.
    ON_SITE_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)

    title = models.CharField(max_length=300, verbose_name=_("title"))
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=_("The end of the clip's web address (/news/…/): filled in from the title; lower-case, hyphens."),
        error_messages={"unique": _("Another news clip already uses this slug.")},
        verbose_name=_("slug"),
    )
    subtitle = models.CharField(max_length=300, blank=True, verbose_name=_("subtitle"))
    highlights = models.TextField(
        blank=True,
        help_text=_(
            "The key points shown in bold under the subtitle, one per line "
            '(the lines starting with "|" in a press release; the "|" is optional).'
        ),
        verbose_name=_("highlights"),
    )
    body = RichTextField(
        help_text=_(
            "Paste from Word, HWP or a web page: headings, lists, links and tables are kept, the rest is removed."
        ),
        verbose_name=_("body"),
    )
    excerpt = models.TextField(
        editable=False, blank=True, help_text=_("Plain-text start of the body, for lists."), verbose_name=_("excerpt")
    )
    body_text = models.TextField(
        editable=False, blank=True, help_text=_("The body as plain text, for search."), verbose_name=_("body text")
    )
    # Kept current by news.search.index_clips (PostgreSQL only; SQLite searches its FTS5 table).
    search_vector = SearchVectorField(null=True, editable=False, verbose_name=_("search vector"))
    # Each pair and triple of neighbouring words of search_vector, as one lexeme "a~b", "a~b~c"
    # (PostgreSQL only): a quoted phrase of common words finds its few candidates by index
    # (news.search, migration 0025).
    search_pairs = SearchVectorField(null=True, editable=False, verbose_name=_("search word pairs"))
    author_name = models.CharField(
        _("name"), max_length=100, default="admin", help_text=_("The name shown on the page; not the editor's login.")
    )
    publish_at = models.DateTimeField(
        _("publish date"),
        default=timezone.now,
        help_text=_(
            "Seoul time (Asia/Seoul, UTC+9), whatever your computer's clock says. "
            "A time in the future schedules the clip: it appears on the site by itself at that time."
        ),
    )
    expires_at = models.DateTimeField(
        _("expiry"), null=True, blank=True, help_text=_("Optional: the clip leaves the site at this time.")
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False, verbose_name=_("status")
    )
    review = models.CharField(
        max_length=10, choices=Review.choices, default=Review.NONE, blank=True, editable=False, verbose_name=_("review")
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    projects = models.ManyToManyField(Project, blank=True, related_name="news_clips", verbose_name=_("projects"))
    objectives = models.ManyToManyField(Objective, blank=True, related_name="news_clips", verbose_name=_("objectives"))
    achievements = models.ManyToManyField(
        Achievement, blank=True, related_name="news_clips", verbose_name=_("achievements")
    )

    objects = NewsClipQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        verbose_name = _("news clip")
        verbose_name_plural = _("news clips")
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
        return self.state(now) == self.Status.PUBLISHED

    def is_on_site(self):
        """Live or scheduled: the row is what the public sees or will see."""
        return self.status in self.ON_SITE_STATUSES

    def is_scheduled(self):
        return self.state() == self.Status.SCHEDULED

    def state(self, now=None):
        """What the clip is right now, whatever the scheduler has recorded yet: the publication
        rule for one row (`NewsClipQuerySet.in_state` is the same rule in SQL)."""
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
        if not headline:
            return self.excerpt
        found_in = getattr(self, "found_in", None)
        if found_in:
            return format_html("…found in {}: {}", found_in, mark_matches(headline))
        return mark_matches(headline)

    @property
    def highlight_lines(self):
        return [line.strip().lstrip("|").strip() for line in self.highlights.splitlines() if line.strip()]


class ClipFileQuerySet(models.QuerySet):
    def live(self):
        """Photos and attachments the public may see: not those added by an unpublished draft."""
        return self.filter(pending=False)


class LiveRowMixin:
    def is_live(self):
        """`ClipFileQuerySet.live()` for a row in hand (a signal's, a view's): the same test, no query."""
        return not self.pending


class ClipImage(LiveRowMixin, ControlCharacterFreeMixin, models.Model):
    """A use of a library photo (news.models.library.Photo) on a clip: the clip's alt text, caption and
    order, and a copy of the photo's file facts, so that public pages read this row alone."""

    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="images", verbose_name=_("clip"))
    # PROTECT: a library photo in use cannot be deleted; "take down everywhere" removes its uses first.
    # Nullable so that the code of the release before the library keeps working during an upgrade.
    photo = models.ForeignKey(
        "news.Photo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("library photo"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    image = models.ImageField(
        upload_to=photo_upload_to,
        storage=protected_storage,
        width_field="width",
        height_field="height",
        max_length=200,
        verbose_name=_("image"),
    )
    width = models.PositiveIntegerField(editable=False, default=0, verbose_name=_("width"))
    height = models.PositiveIntegerField(editable=False, default=0, verbose_name=_("height"))
    original_name = models.CharField(max_length=255, blank=True, editable=False, verbose_name=_("original name"))
    caption = models.CharField(
        max_length=300, blank=True, help_text=_("Shown under the photo on the page."), verbose_name=_("caption")
    )
    alt_text = models.CharField(
        max_length=300,
        help_text=_("Describe what the photo shows, for people who cannot see it (read aloud)."),
        verbose_name=_("alt text"),
    )
    pending = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Added by a draft of a live clip; not public until it is published."),
        verbose_name=_("pending"),
    )
    is_placeholder = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("A placeholder image shipped with the seed content."),
        verbose_name=_("is placeholder"),
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A draft's new file for this live row: on publication it takes the live row's place and address."),
        verbose_name=_("replaces"),
    )
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = ClipFileQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["clip", "position"], name="clipimage_order_idx")]

    def __str__(self):
        return self.caption or self.alt_text

    def get_absolute_url(self):
        return self.url("large")

    def url(self, size):
        return reverse("news:photo", kwargs={"slug": self.clip.slug, "pk": self.pk, "size": size})

    def use_photo(self, photo):
        """Make this row a use of `photo`, copying its file facts; blank alt text and caption take the
        library's defaults (the clip's words are then its own: a later edit in the library does
        not change a published page behind its revisions)."""
        self.photo = photo
        for name, value in photo.file_facts().items():
            setattr(self, name, value)
        self.alt_text = self.alt_text or photo.alt_text
        self.caption = self.caption or photo.caption

    @property
    def credit(self):
        return self.photo.credit if self.photo_id else ""

    @property
    def thumb_url(self):
        return self.url("thumb")

    @property
    def large_url(self):
        return self.url("large")

    @property
    def original_url(self):
        return self.url("original")


class Attachment(LiveRowMixin, ControlCharacterFreeMixin, models.Model):
    """A use of a library document (news.models.library.Document) on a clip. Its id is the public address
    (/news/<slug>/attachments/<id>/) and it keeps its own download count; the file facts are a copy
    of the document's, replaced together with it (news.library.operations.replace_file)."""

    clip = models.ForeignKey(NewsClip, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("clip"))
    document = models.ForeignKey(
        "news.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("library document"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    file = models.FileField(
        upload_to=attachment_upload_to, storage=protected_storage, max_length=200, verbose_name=_("file")
    )
    title = models.CharField(_("display title"), max_length=300, blank=True)
    original_name = models.CharField(max_length=255, editable=False, verbose_name=_("original name"))
    size = models.PositiveBigIntegerField(default=0, editable=False, verbose_name=_("size"))
    content_type = models.CharField(max_length=150, editable=False, verbose_name=_("content type"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    # The ZIP download (core/http/bundle.py) needs each file's CRC-32 before sending it;
    # rows older than this field get theirs from `manage.py fill_attachment_crc32` (news/files/zip.py).
    crc32 = models.PositiveBigIntegerField(_("CRC-32"), null=True, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    # Readings of its PDF in the browser ("View in browser"): not downloads of the original.
    pdf_view_count = models.PositiveIntegerField(_("PDF views"), default=0)
    pending = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Added by a draft of a live clip; not public until it is published."),
        verbose_name=_("pending"),
    )
    pdf_version = models.FileField(
        _("also as PDF"),
        upload_to=attachment_upload_to,
        storage=protected_storage,
        max_length=200,
        blank=True,
        help_text=_("Optional: the same document as a PDF, for readers who cannot open HWP or Office files."),
    )
    pdf_size = models.PositiveBigIntegerField(default=0, editable=False, verbose_name=_("pdf size"))
    file_replaced_at = models.DateTimeField(
        _("file corrected"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a corrected file replaced it here."),
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A draft's new file for this live row: on publication it takes the live row's place and address."),
        verbose_name=_("replaces"),
    )

    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = ClipFileQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["clip", "position"], name="attachment_order_idx")]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("news:attachment", kwargs={"slug": self.clip.slug, "pk": self.pk})

    def get_pdf_url(self):
        return reverse("news:attachment_pdf", kwargs={"slug": self.clip.slug, "pk": self.pk})

    def get_view_url(self):
        return reverse("news:attachment_view", kwargs={"slug": self.clip.slug, "pk": self.pk})

    @property
    def browser_pdf(self):
        """What "View in browser" shows: the editor's own PDF version if there is one, else the
        PDF made of this very file (news.files.conversions), else None. Needs `conversion` loaded
        (select_related) to cost no query."""
        if self.pdf_version:
            return BrowserPdf(self.pdf_version, self.pdf_size, self.pdf_sha256, pages=None, tagged=False)
        try:
            made = self.conversion
        except ObjectDoesNotExist:
            return None
        if made.is_ready_for(self):
            return BrowserPdf(made.pdf, made.pdf_size, made.pdf_sha256, pages=made.pages, tagged=made.tagged)
        return None

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
        return label_for(self.content_type, self.original_name)

    def use_document(self, document):
        """Make this row a use of `document`, copying its file facts."""
        self.document = document
        for name, value in document.file_facts().items():
            setattr(self, name, value)

    @classmethod
    def count_downloads(cls, *pks, request=None):
        """Count one full download of each attachment in `pks` (the ZIP counts all it holds),
        once per nginx request id (core.counting: a request nginx retries on another instance
        is not counted again).

        One UPDATE computed in the database, so concurrent downloads never lose a count, and
        `updated` (auto_now) is not touched, so ETags and the PDF cache stay valid. Written out:
        building it with the ORM cost more than the rest of a cached download. On PostgreSQL
        its commit does not wait for the disk: that halves the cost of a download, and what it
        risks is the last fraction of a second of counts if the database server itself crashes,
        never a count on a worker restart."""
        if not pks:
            return
        count_once(request, "download", cls._meta.db_table, "download_count", pks)

    @classmethod
    def count_pdf_view(cls, pk):
        """Count one reading of an attachment's PDF in the browser: apart from its downloads,
        one UPDATE computed in the database, `updated` left alone."""
        cls.objects.filter(pk=pk).update(pdf_view_count=models.F("pdf_view_count") + 1)

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


@dataclass(frozen=True)
class BrowserPdf:
    """What "View in browser" shows of an attachment (Attachment.browser_pdf)."""

    file: object
    size: int
    sha256: str
    pages: int | None
    tagged: bool
