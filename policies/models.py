from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from core.rich_text import RichTextField
from core.text import ControlCharacterFreeMixin
from projects.models import Project

CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩"


class Principle(ControlCharacterFreeMixin, models.Model):
    """The administration's guiding principles: values, devices, objective, vision."""

    class Kind(models.TextChoices):
        VALUE = "value", _("Administrative value")
        DEVICE = "device", _("Policy device")
        OBJECTIVE = "objective", _("Policy objective")
        VISION = "vision", _("Vision")

    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "title"], name="principle_unique_title_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class Field(ControlCharacterFreeMixin, models.Model):
    """One of the six policy fields the 100 achievements are grouped in."""

    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        error_messages={"unique": _("Another field already has this number.")},
        verbose_name=_("number"),
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        verbose_name = _("policy field")
        verbose_name_plural = _("policy fields")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=6),
                name="field_number_1_to_6",
                violation_error_message="A field number is between 1 and 6.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("policies:achievements") + f"?field={self.slug}"


class Achievement(TimestampedModel):
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="achievements", verbose_name=_("field"))
    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("1 to 100."),
        error_messages={"unique": _("Another achievement already has this number.")},
        verbose_name=_("number"),
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    summary = RichTextField(verbose_name=_("summary"))
    major_rank = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 to 10 for the ten major achievements; empty for the others."),
        error_messages={"unique": _("Another achievement already has this rank.")},
        verbose_name=_("major rank"),
    )
    projects = models.ManyToManyField(Project, blank=True, related_name="achievements", verbose_name=_("projects"))

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = [models.F("major_rank").asc(nulls_last=True), "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=100),
                name="achievement_number_1_to_100",
                violation_error_message="An achievement number is between 1 and 100.",
            ),
            models.CheckConstraint(
                condition=models.Q(major_rank__isnull=True) | models.Q(major_rank__gte=1, major_rank__lte=10),
                name="achievement_major_rank_1_to_10",
                violation_error_message="A major-achievement rank is between 1 and 10.",
            ),
        ]
        indexes = [models.Index(fields=["field", "number"], name="achievement_field_idx")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("policies:achievements") + f"#achievement-{self.number}"


class Objective(TimestampedModel):
    """One of the ten key policy objectives for the next three years."""

    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 to 10, shown as ① to ⑩."),
        error_messages={"unique": _("Another objective already has this number.")},
        verbose_name=_("number"),
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    body = RichTextField(verbose_name=_("body"))
    projects = models.ManyToManyField(Project, blank=True, related_name="objectives", verbose_name=_("projects"))

    class Meta:
        verbose_name = _("policy objective")
        verbose_name_plural = _("policy objectives")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=10),
                name="objective_number_1_to_10",
                violation_error_message="An objective number is between 1 and 10.",
            ),
        ]

    def __str__(self):
        return f"{self.symbol} {self.title}"

    def get_absolute_url(self):
        return reverse("policies:objective", kwargs={"number": self.number})

    @property
    def symbol(self):
        return CIRCLED_NUMBERS[self.number - 1] if 1 <= self.number <= 10 else str(self.number)
