"""Constraints, validation and the one publication rule."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from news.models import NewsClip
from policies.models import Achievement, Objective
from projects.formatting import format_partial_date, format_won
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_published_includes_past_and_excludes_future_and_drafts(make_clip):
    past = make_clip(publish_at=timezone.now() - timedelta(minutes=1))
    make_clip(publish_at=timezone.now() + timedelta(minutes=5))
    make_clip(status=NewsClip.Status.DRAFT, publish_at=timezone.now() - timedelta(days=1))
    assert list(NewsClip.objects.published()) == [past]


def test_scheduled_clip_is_neither_published_nor_draft(make_clip):
    clip = make_clip(publish_at=timezone.now() + timedelta(days=1))
    assert clip.is_scheduled() and not clip.is_published()


@pytest.mark.parametrize("number", [0, 11])
def test_objective_number_outside_1_to_10_is_a_validation_error(number):
    objective = Objective(number=number, title="x", body="y")
    with pytest.raises(ValidationError) as excinfo:
        objective.full_clean()
    assert "number" in excinfo.value.message_dict


def test_objective_number_11_is_refused_by_the_database_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(number=11, title="x", body="y")


def test_duplicate_objective_number_gets_a_clear_message(make_objective):
    make_objective(3)
    with pytest.raises(ValidationError) as excinfo:
        Objective(number=3, title="again", body="b").full_clean()
    assert excinfo.value.message_dict["number"] == ["Another objective already has this number."]


def test_achievement_numbers_hold_100_and_refuse_101(make_achievement):
    make_achievement(100)
    with pytest.raises(ValidationError):
        Achievement(field_id=1, number=101, title="x", summary="y").full_clean()


def test_major_rank_unique_and_within_1_to_10(make_achievement):
    make_achievement(1, major_rank=1)
    with pytest.raises(ValidationError) as excinfo:
        Achievement(field_id=1, number=2, title="x", summary="y", major_rank=1).full_clean()
    assert "major_rank" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        make_achievement(3, major_rank=11)


def test_duplicate_clip_slug_gets_a_clear_message(make_clip):
    make_clip(slug="same")
    clip = NewsClip(title="x", slug="same", body="<p>b</p>")
    with pytest.raises(ValidationError) as excinfo:
        clip.full_clean()
    assert excinfo.value.message_dict["slug"] == ["Another news clip already uses this slug."]


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


def test_body_is_sanitised_on_save(make_clip):
    clip = make_clip(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    clip.refresh_from_db()
    assert clip.body == "<p>Hi</p>"


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
