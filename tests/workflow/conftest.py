"""Newsroom roles as the migration creates them, and change-form data as a browser would send it."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone


def ensure_roles():
    """The Editors and Publishers groups as their migration makes them: a transactional test
    elsewhere in the run (the browser tests) flushes the database, groups included."""
    if Group.objects.filter(name__in=["Editors", "Publishers"]).count() < 2:
        migration = importlib.import_module("news.migrations.0006_editor_and_publisher_groups")
        migration.create_groups(django_apps, None)


def _member(django_user_model, name, group):
    ensure_roles()
    user = django_user_model.objects.create_user(name, password=f"pw-{name}-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(db, django_user_model):
    return _member(django_user_model, "eddie", "Editors")


@pytest.fixture
def publisher(db, django_user_model):
    return _member(django_user_model, "pat", "Publishers")


def change_url(clip):
    return reverse("admin:news_newsclip_change", args=[clip.pk])


def _put(data, name, value):
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)  # the form reads local (KST) times
        data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    elif isinstance(value, list | tuple):
        data[name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
    elif isinstance(value, bool):
        if value:
            data[name] = "on"
    elif hasattr(value, "name") and not isinstance(value, str):
        return  # a stored file: the browser sends nothing for it
    else:
        data[name] = str(value)


def form_data(client, clip, **changes):
    """What the change form of `clip` posts if nothing is touched, with `changes` on top."""
    response = client.get(change_url(clip))
    assert response.status_code == 200
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, form.add_prefix(name), form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = str(formset.management_form[name].value())
        for row in formset.forms:
            for name in row.fields:
                _put(data, row.add_prefix(name), row[name].value())
    for name, value in changes.items():
        data.pop(name, None)
        _put(data, name, value)
    return data


def post_change(client, clip, step="save", **changes):
    data = form_data(client, clip, **changes)
    data["_workflow"] = step
    return client.post(change_url(clip), data)
