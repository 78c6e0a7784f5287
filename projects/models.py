from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from core.rich_text import RichTextField
from core.text import ControlCharacterFreeMixin

from .formatting import format_partial_date, format_won


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    FIRST_HALF = "h1", _("First half of the year")
    SECOND_HALF = "h2", _("Latter half of the year")
    YEAR = "year", _("Year")


class Department(TimestampedModel):
    """The city office responsible for a page: readers see who answers for it and how to reach them."""

    name = models.CharField(
        max_length=200,
        unique=True,
        error_messages={"unique": _("A department with this name exists.")},
        verbose_name=_("name"),
    )
    phone = models.CharField(
        max_length=40, blank=True, help_text=_("As dialled from abroad, e.g. +82-62-613-0000."), verbose_name=_("phone")
    )
    email = models.EmailField(blank=True, verbose_name=_("email"))
    page_url = models.URLField(_("page"), blank=True, help_text=_("The department's own page on the city's website."))

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResponsibleContent(models.Model):
    """Who is responsible for a page, and when it last changed for readers."""

    # PROTECT: deleting a department must not leave pages silently without one; the
    # admin lists the pages to move first. Nullable so older rows migrate unchanged.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The office readers should contact about this page."),
        verbose_name=_("department"),
    )
    contact_title = models.CharField(
        _("contact"),
        max_length=100,
        blank=True,
        help_text=_('A role, e.g. "Press officer" — never a person\'s login.'),
    )

    class Meta:
        abstract = True

    @property
    def last_updated(self):
        """The last change readers can see. Counters are written with UPDATE ... F(), which
        leaves `updated` alone; when publishing gets a time of its own, switch it here."""
        return self.updated


class ProjectQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)


class Project(ResponsibleContent, TimestampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        OPERATING = "operating", _("Operating")
        COMPLETED = "completed", _("Completed")

    name = models.CharField(max_length=200, verbose_name=_("name"))
    slug = models.SlugField(
        max_length=200,
        unique=True,
        error_messages={"unique": _("A project with this slug exists.")},
        verbose_name=_("slug"),
    )
    summary = models.CharField(
        max_length=500,
        help_text=_("One or two sentences, shown in lists and search results."),
        verbose_name=_("summary"),
    )
    body = RichTextField(blank=True, help_text=_("The full description on the project's page."), verbose_name=_("body"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED, verbose_name=_("status"))
    start_date = models.DateField(
        null=True, blank=True, help_text=_("The first day of the period when not exact."), verbose_name=_("start date")
    )
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH, verbose_name=_("start precision")
    )
    target_date = models.DateField(
        null=True, blank=True, help_text=_("The first day of the period when not exact."), verbose_name=_("target date")
    )
    target_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR, verbose_name=_("target precision")
    )
    budget_won = models.BigIntegerField(
        _("budget (won)"), null=True, blank=True, help_text=_("Whole won, e.g. 1236000000000 for 1.236 trillion won.")
    )
    budget_note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("e.g. '91.8 billion won from national budget'"),
        verbose_name=_("budget note"),
    )
    location = models.CharField(max_length=200, blank=True, verbose_name=_("location"))
    lead_organisation = models.CharField(max_length=200, blank=True, verbose_name=_("lead organisation"))
    featured = models.BooleanField(default=False, help_text=_("Shown on the home page."), verbose_name=_("featured"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_won__isnull=True) | models.Q(budget_won__gte=0),
                name="project_budget_not_negative",
                violation_error_message="The budget cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(target_date__isnull=True)
                | models.Q(target_date__gte=models.F("start_date")),
                name="project_target_after_start",
                violation_error_message="The target date cannot be before the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="project_status_name_idx"),
            models.Index(fields=["featured", "name"], name="project_featured_idx"),
            models.Index(Lower("name"), name="project_name_lower_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def start_display(self):
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def target_display(self):
        return format_partial_date(self.target_date, self.target_precision)

    @property
    def budget_display(self):
        return format_won(self.budget_won)


class Milestone(ControlCharacterFreeMixin, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    date = models.DateField(help_text=_("The first day of the period when not exact."), verbose_name=_("date"))
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH, verbose_name=_("date precision")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    done = models.BooleanField(default=False, verbose_name=_("done"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "date", "id"]
        indexes = [models.Index(fields=["project", "position"], name="milestone_order_idx")]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)
