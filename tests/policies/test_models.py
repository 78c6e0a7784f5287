"""Objectives and achievements: numbers within their ranges and unique, in the form and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from policies.models import Achievement, Objective

pytestmark = pytest.mark.django_db


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
