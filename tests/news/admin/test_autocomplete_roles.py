"""Every picker on the clip form answers Editors and Publishers: the Department picker said "The results
could not be loaded" to both (the admin's autocomplete answered 403), so only a superuser could name the
department every clip must name. The pickers are read from the admin classes, so a new one is covered."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from news.models import NewsClip
from policies.models import Achievement, Objective
from projects.models import Department, Project

pytestmark = pytest.mark.django_db


def clip_form_pickers(user):
    """(model the form edits, field name, model the picker looks up) for the clip admin and its inlines."""
    request = RequestFactory().get("/admin/")
    request.user = user
    clip_admin = admin.site._registry[NewsClip]
    pickers = []
    for model_admin in [clip_admin, *clip_admin.get_inline_instances(request)]:
        for name in model_admin.get_autocomplete_fields(request):
            field = model_admin.model._meta.get_field(name)
            pickers.append((model_admin.model, name, field.related_model))
    return pickers


@pytest.fixture
def one_of_each(make_project, make_objective, make_achievement):
    makers = {
        Department: lambda: Department.objects.create(name="Press Office"),
        Project: make_project,
        Objective: lambda: make_objective(1),
        Achievement: lambda: make_achievement(1),
    }

    def make(model):
        assert model in makers, f"the test needs a row of {model.__name__} to look up: add it to `makers`"
        if not model.objects.exists():
            makers[model]()

    return make


def test_the_clip_form_has_the_pickers_this_test_walks(admin_user):
    names = {name for _model, name, _related in clip_form_pickers(admin_user)}
    assert {"department", "projects", "objectives", "achievements"} <= names


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_every_picker_on_the_clip_form_answers_the_role_with_results(role, request, one_of_each):
    client = request.getfixturevalue(role)
    answers = {}
    for model, name, related in clip_form_pickers(client.user):
        one_of_each(related)
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": name, "term": ""},
        )
        answers[name] = response.status_code
        if response.status_code == 200:
            assert response.json()["results"], f"{role}: the {name} picker found nothing"
    assert answers and set(answers.values()) == {200}, answers
