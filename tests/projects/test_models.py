"""Projects: dates that make sense, budgets and partial dates in readable words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.formatting import format_partial_date, format_won
from projects.models import Project


@pytest.mark.django_db
def test_project_target_before_start_is_refused():
    project = Project(
        name="p",
        slug="p",
        summary="s",
        start_date=timezone.now().date(),
        target_date=timezone.now().date() - timedelta(days=400),
    )
    with pytest.raises(ValidationError) as excinfo:
        project.full_clean()
    assert "The target date cannot be before the start date." in str(excinfo.value)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1_236_000_000_000, "1.236 trillion won"),
        (37_000_000_000, "37 billion won"),
        (91_800_000_000, "91.8 billion won"),
        (5_000, "5,000 won"),
        (None, ""),
    ],
)
def test_budget_in_readable_won(amount, expected):
    assert format_won(amount) == expected


def test_latter_half_of_a_year_is_expressible():
    project = Project(start_date=timezone.datetime(2019, 7, 1).date(), start_precision="h2")
    assert project.start_display == "latter half of 2019"
    assert format_partial_date(timezone.datetime(2021, 1, 1).date(), "year") == "2021"
