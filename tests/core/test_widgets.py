"""The filter forms' widgets are rendered without templates, and say exactly what Django's would."""

import re

import pytest
from django import forms

from core.widgets import FastSelect, FastTextInput

pytestmark = pytest.mark.django_db


def same_markup(html):
    return re.sub(r">\s+<", "><", html.strip())


CHOICES = [("", "Any year"), ("2025", "2025"), ("x&y", 'Quotes " and <tags>'), ("Group", [("1", "One"), ("2", "Two")])]


@pytest.mark.parametrize("value", [None, "", "2025", "x&y", "2", "not offered"])
@pytest.mark.parametrize("attrs", [{}, {"id": "id_year", "aria-invalid": "true", "required": True, "disabled": False}])
def test_select_matches_djangos(value, attrs):
    fast = FastSelect(choices=CHOICES).render("year", value, attrs)
    django = forms.Select(choices=CHOICES).render("year", value, attrs)
    assert same_markup(fast) == same_markup(django)


@pytest.mark.parametrize("value", [None, "", "subway", '"><script>alert(1)</script>', "광주 지하철"])
def test_text_input_matches_djangos(value):
    attrs = {"type": "search", "placeholder": "Search news clips"}
    fast = FastTextInput(attrs=attrs).render("q", value, {"id": "id_q"})
    django = forms.TextInput(attrs=attrs).render("q", value, {"id": "id_q"})
    assert fast == django
    assert "<script>" not in fast


def test_the_news_list_filters_keep_their_choices_and_selection(client, make_clip):
    clip = make_clip(title="Subway news")
    page = client.get(f"/news/?year={clip.publish_at.year}").content.decode()
    assert f'<option value="{clip.publish_at.year}" selected>{clip.publish_at.year}</option>' in page
    assert '<option value="" selected>Any project</option>' in page
    assert "&lt;select" not in page
