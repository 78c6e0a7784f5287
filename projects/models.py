from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from core.models import TimestampedModel
from core.rich_text import RichTextField
from core.text import ControlCharacterFreeMixin

from .formatting import format_partial_date, format_won


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    FIRST_HALF = "h1", "First half of the year"
    SECOND_HALF = "h2", "Latter half of the year"
    YEAR = "year", "Year"


class Department(TimestampedModel):
    """The city office responsible for a page: readers see who answers for it and how to reach them."""

    name = models.CharField(
        max_length=200, unique=True, error_messages={"unique": "A department with this name exists."}
    )
    phone = models.CharField(max_length=40, blank=True, help_text="As dialled from abroad, e.g. +82-62-613-0000.")
    email = models.EmailField(blank=True)
    page_url = models.URLField("page", blank=True, help_text="The department's own page on the city's website.")

    class Meta:
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
        help_text="The office readers should contact about this page.",
    )
    contact_title = models.CharField(
        "contact",
        max_length=100,
        blank=True,
        help_text='A role, e.g. "Press officer" — never a person\'s login.',
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
        PLANNED = "planned", "Planned"
        UNDER_WAY = "under_way", "Under way"
        OPERATING = "operating", "Operating"
        COMPLETED = "completed", "Completed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, error_messages={"unique": "A project with this slug exists."})
    summary = models.CharField(max_length=500, help_text="One or two sentences, shown in lists and search results.")
    body = RichTextField(blank=True, help_text="The full description on the project's page.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(null=True, blank=True, help_text="The first day of the period when not exact.")
    start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    target_date = models.DateField(null=True, blank=True, help_text="The first day of the period when not exact.")
    target_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR)
    budget_won = models.BigIntegerField(
        "budget (won)", null=True, blank=True, help_text="Whole won, e.g. 1236000000000 for 1.236 trillion won."
    )
    budget_note = models.CharField(max_length=200, blank=True, help_text="e.g. '91.8 billion won from national budget'")
    location = models.CharField(max_length=200, blank=True)
    lead_organisation = models.CharField(max_length=200, blank=True)
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")

    objects = ProjectQuerySet.as_manager()

    class Meta:
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
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    date = models.DateField(help_text="The first day of the period when not exact.")
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    title = models.CharField(max_length=300)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "date", "id"]
        indexes = [models.Index(fields=["project", "position"], name="milestone_order_idx")]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)
