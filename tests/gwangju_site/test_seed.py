"""The seed content: loaded faithfully, and loading it twice changes nothing."""

import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from news.models import Attachment, NewsClip
from policies.models import Achievement, Field, Objective, Principle
from projects.models import Project

pytestmark = pytest.mark.django_db

# The city's page as published, kept beside the fixtures that must carry it faithfully.
SEED_TEXT = Path(__file__).resolve().parents[2] / "fixtures/source/news-clip-2019-07-09-a-year-in-innovation.txt"


def snapshot():
    rows = {}
    for model in apps.get_models():
        # Unmanaged models are views of other rows (SQLite's search table), not content.
        if model._meta.app_label in {"news", "policies", "projects"} and model._meta.managed:
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def test_loading_twice_leaves_the_same_rows(seeded):
    before = snapshot()
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    assert snapshot() == before
    assert "0 row(s) created" in out.getvalue()


def test_loading_again_keeps_an_editors_changes(seeded):
    NewsClip.objects.filter(pk=seeded.pk).update(title="Edited by the city")
    call_command("load_seed", stdout=io.StringIO())
    assert NewsClip.objects.get(pk=seeded.pk).title == "Edited by the city"


def test_new_rows_after_seeding_get_fresh_ids(seeded, make_project):
    # Explicit ids in the fixture must not leave PostgreSQL's sequences behind.
    assert make_project().pk > Project.objects.exclude(slug__startswith="project-").order_by("-pk")[0].pk


def test_seed_clip_matches_the_city_page(seeded):
    assert seeded.title == "Gwangju! A year in innovation"
    assert seeded.subtitle == "Three more years working for the future of Korea"
    assert seeded.highlight_lines == [
        "Gwangju Mayor holds one-year anniversary press conference",
        "Announces 100 achievements in 6 fields and key policy goals for next 3 years.",
        "Details \u2018three successes\u2019 within first year",
    ]
    assert seeded.author_name == "admin"
    assert seeded.view_count == 32
    assert seeded.publish_at.strftime("%Y-%m-%d %H:%M") == "2019-07-09 01:45"  # 10:45 in Seoul, stored in UTC
    assert seeded.is_published()


def test_seed_clip_body_has_every_section_of_the_seed_text(seeded):
    text = SEED_TEXT.read_text(encoding="utf-8")
    body_start = text.index("Following one year in office")
    paragraphs = [p.strip() for p in text[body_start:].split("\n\n") if p.strip()]
    from html import unescape

    plain_body = unescape(re.sub(r"<[^>]+>", "", seeded.body))
    for paragraph in paragraphs:
        assert paragraph in plain_body, paragraph[:60]


def test_seed_body_sections_are_present(seeded):
    for marker in [
        "Major achievements of the first year in office",
        "Tenth, rigorous efforts",
        "※ Reference - 100 achievements in 6 fields",
        "Ten key policy objectives in the next three years",
        "① Make this year",
        "⑩ Strengthen cooperation",
        "small streams coming together",
    ]:
        # As text: the reference line links to the achievements page.
        assert marker in re.sub(r"<[^>]+>", "", seeded.body).replace("&lt;", "<").replace("&gt;", ">")


def test_seed_photos_and_attachments(seeded):
    photos = list(seeded.images.order_by("position"))
    assert [p.caption for p in photos] == [
        "Gwangju Metropolitan Government Building",
        "Night view of the Asia Culture Center",
        "Nambu University Municipal Aquatics Center",
    ]
    assert all(p.alt_text and p.is_placeholder and p.width and p.height for p in photos)
    attachments = list(seeded.attachments.order_by("position"))
    assert any(re.search("[가-힣]", a.original_name) for a in attachments)
    assert attachments[0].content_type == "application/pdf"
    import hashlib

    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        assert len(data) == attachment.size
        assert hashlib.sha256(data).hexdigest() == attachment.sha256


def test_seed_policies_and_projects(seeded):
    assert Field.objects.count() == 6
    assert list(Achievement.objects.filter(major_rank__isnull=False).values_list("major_rank", flat=True)) == list(
        range(1, 11)
    )
    assert list(Objective.objects.values_list("number", flat=True)) == list(range(1, 11))
    assert Principle.objects.filter(kind="value").count() == 3
    assert Principle.objects.filter(kind="device").count() == 2
    assert Project.objects.count() >= 12
    urban = Project.objects.get(slug="urban-regeneration-new-deal")
    assert urban.budget_display == "1.236 trillion won"
    assert Project.objects.get(slug="gwangju-stream-restoration").budget_display == "37 billion won"
    job = Project.objects.get(slug="gwangju-job-project-automotive-plant")
    assert job.start_display == "latter half of 2019" and job.target_display == "2021"
    assert seeded.projects.count() == Project.objects.count()
    assert seeded.objectives.count() == 10 and seeded.achievements.count() == 10
    assert Attachment.objects.filter(clip=seeded).count() == 4
