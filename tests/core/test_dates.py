"""One public date format, in <time datetime>, from core's template filters."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load dates %}" + source).render(Context(context))


def test_public_datetime_is_local_time_in_the_seed_format():
    moment = datetime.datetime(2019, 7, 9, 1, 45, tzinfo=datetime.UTC)  # 10:45 in Seoul
    assert render("{{ m|public_datetime }}", m=moment) == (
        '<time datetime="2019-07-09T10:45:00+09:00">2019-07-09 10:45</time>'
    )


def test_public_date_shows_the_local_day():
    late = datetime.datetime(2019, 7, 9, 23, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    assert render("{{ m|public_date }}", m=late) == '<time datetime="2019-07-09">2019-07-09</time>'
    assert render("{{ m|public_date }}", m=datetime.date(2020, 1, 2)) == (
        '<time datetime="2020-01-02">2020-01-02</time>'
    )


def test_empty_values_render_nothing():
    assert render("{{ m|public_datetime }}{{ m|public_date }}", m=None) == ""


def test_clip_list_and_page_use_the_one_format(client, seeded):
    for url in ["/news/", seeded.get_absolute_url(), "/"]:
        html = client.get(url).content.decode()
        assert '<time datetime="2019-07-09' in html
        shown = re.findall(r"<time datetime=\"[^\"]+\">([^<]*)</time>", html)
        assert shown and all(re.fullmatch(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", text) for text in shown), shown
