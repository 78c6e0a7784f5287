"""The clip form helps the writer: a refused form lists its errors at the top with a link to each
field, and the form carries what its scripts need (ids, limits, translated strings)."""

import json
import re

import pytest
from django.urls import reverse

from news.public.structured_data import news_article_json_ld
from news.public.writing_limits import HEADLINE_MAX, LIMITS
from tests.helpers import clip_form_data, image_bytes, upload

pytestmark = pytest.mark.django_db


def desk_config(html):
    found = re.search(r'<script id="clip-desk-config" type="application/json">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


def test_a_refused_form_lists_every_error_with_a_link_to_its_field(admin_client):
    data = clip_form_data(
        title="",
        slug="not a slug!",
        images=[{"image": upload("lanterns.jpg", image_bytes()), "alt_text": "", "caption": "At dusk"}],
    )
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="errornote error-summary" id="error-summary"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert summary and "autofocus" in summary.group(0)
    assert "Nothing was saved: correct these 3 errors." in summary.group(1)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(1))
    assert [anchor for anchor, _ in links] == ["id_title", "id_slug", "id_images-0-alt_text"]
    assert links[2][1] == "Photo 1: alt text: Describe the photo for people who cannot see it."
    for anchor, _ in links:
        assert f'id="{anchor}"' in html, "each link leads to its field"
    assert "Please correct the error" not in html, "one list, not two"


def test_the_form_carries_its_scripts_configuration(admin_client, admin_user, make_clip):
    clip = make_clip()
    config = desk_config(admin_client.get(reverse("admin:news_newsclip_change", args=[clip.pk])).content.decode())
    assert config["user"] == admin_user.pk and config["clip"] == clip.pk
    assert config["limits"]["title"][-1] == {"limit": HEADLINE_MAX, "where": "Search engines' article headlines"}
    assert config["linkStatusUrl"] == reverse("admin:news_newsclip_link_status")
    assert "unsaved changes" in config["strings"]["leaveWarning"]
    new = desk_config(admin_client.get(reverse("admin:news_newsclip_add")).content.decode())
    assert new["clip"] is None


def test_the_headline_limit_the_form_counts_against_is_the_one_the_page_cuts_at(make_clip):
    clip = make_clip(title="x" * 200)
    headline = json.loads(news_article_json_ld(clip, []))["headline"]
    assert len(headline) == HEADLINE_MAX == max(limit for limit, _ in LIMITS["title"])
