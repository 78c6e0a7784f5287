"""Every field of the clip's admin form goes through a draft and through publication of a clip on
the site. The fields are read from the form itself: a field added to the form tomorrow is walked
too, and this test names it if it cannot make a value for it."""

import datetime

import pytest
from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.rich_text import RichTextFormField
from news.models import NewsClip
from policies.models import Achievement, Objective
from projects.models import Department, Project
from tests.helpers import change_url, post_change

pytestmark = pytest.mark.django_db

# Fields of the workflow itself, not of the clip (news.admin_workflow.workflow_form).
WORKFLOW_FIELDS = {"lock_token", "confirm_takedown"}


@pytest.fixture
def makers(make_project, make_objective, make_achievement):
    """A new related item for each model the form links to."""
    return {
        Department: lambda: Department.objects.create(name="Walked department"),
        Project: make_project,
        Objective: lambda: make_objective(9),
        Achievement: lambda: make_achievement(77),
    }


def new_value(name, field, makers, now):
    """A value for form field `name` that differs from any the clip had."""
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        maker = makers.get(field.queryset.model)
        if maker is None:
            pytest.fail(f"No test value for the clip form's field {name!r}: add a maker for {field.queryset.model}")
        item = maker()
        return [item] if isinstance(field, forms.ModelMultipleChoiceField) else item
    if isinstance(field, forms.SplitDateTimeField):
        # A past publish time is kept by "Publish now" (a backdated article); any other time is later.
        moment = now - datetime.timedelta(days=2) if name == "publish_at" else now + datetime.timedelta(days=40)
        return moment.replace(microsecond=0)
    if isinstance(field, forms.SlugField):
        return f"walked-{name.replace('_', '-')}"
    if isinstance(field, RichTextFormField):
        return f"<p>Walked {name}.</p>"
    if isinstance(field, forms.CharField):
        return f"Walked {name}"[: field.max_length or None]
    pytest.fail(f"No test value for the clip form's field {name!r} ({type(field).__name__}): add one here")


def stored(clip, name):
    value = getattr(clip, name)
    if hasattr(value, "all"):
        return sorted(item.pk for item in value.all())
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)
    return value


def as_stored(value):
    """A value as posted or as a form shows it, in the terms of `stored`."""
    if isinstance(value, list | tuple):
        return sorted(int(getattr(item, "pk", item)) for item in value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)
    return value


def walk(client, clip, makers):
    """New values for every clip field of the change form `client` sees."""
    form = client.get(change_url(clip)).context["adminform"].form
    now = timezone.now()
    names = [name for name in form.fields if name not in WORKFLOW_FIELDS]
    assert {"department", "contact_title", "body", "projects", "expires_at"} <= set(names)
    return {name: new_value(name, form.fields[name], makers, now) for name in names}


def posted(changes):
    """As the browser sends them: a chosen item by its id."""
    return {name: value.pk if isinstance(value, models.Model) else value for name, value in changes.items()}


@pytest.fixture(params=["published", "scheduled"])
def on_site(request, make_clip):
    department = Department.objects.create(name="First department")
    at = timezone.now() + (datetime.timedelta(days=3) if request.param == "scheduled" else -datetime.timedelta(days=9))
    return make_clip(status=request.param, publish_at=at, department=department, contact_title="First contact")


def test_every_field_goes_into_the_draft_and_out_with_its_publication(editor, publisher, on_site, makers):
    before = NewsClip.objects.get(pk=on_site.pk)
    changes = walk(editor, on_site, makers)
    response = post_change(editor, on_site, "save", **posted(changes))
    assert response.status_code == 302, response.context["adminform"].form.errors

    row = NewsClip.objects.get(pk=on_site.pk)
    for name in changes:
        assert stored(row, name) == stored(before, name), f"the draft changed the live row's {name}"
    shown = editor.get(change_url(on_site)).context["adminform"].form
    for name, value in changes.items():
        assert as_stored(shown[name].value()) == as_stored(value), f"the draft lost {name}"
    draft = on_site.revisions.get(pending=True)
    compare = editor.get(reverse("admin:news_newsclip_compare", args=[on_site.pk]), {"a": "live", "b": draft.pk})
    compared = compare.content.decode()
    assert "<h2>Department</h2>" in compared and "<h2>Contact</h2>" in compared and "<ins>Walked</ins>" in compared

    assert post_change(publisher, on_site, "publish").status_code == 302
    row = NewsClip.objects.get(pk=on_site.pk)
    assert row.is_published()
    for name, value in changes.items():
        assert stored(row, name) == as_stored(value), f"publishing the draft lost {name}"


def test_every_field_is_kept_by_publish_now_from_the_form(publisher, on_site, makers):
    changes = walk(publisher, on_site, makers)
    response = post_change(publisher, on_site, "publish", **posted(changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = NewsClip.objects.get(pk=on_site.pk)
    for name, value in changes.items():
        assert stored(row, name) == as_stored(value), f"“Publish now” answered Published and lost {name}"
