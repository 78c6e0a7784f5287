"""Search inside attachments: the text of a live attachment (read from its PDF) finds its clip,
with the passage shown; the text of a draft's or a pending attachment is never found or shown.
On SQLite (FTS5) and PostgreSQL alike."""

import pytest
from django.urls import reverse

from news.files.conversions import run_queue
from news.models import Attachment, NewsClip
from tests.documents import marker, sample
from tests.news.test_search import list_titles, site_titles

pytestmark = pytest.mark.django_db

LIST, SITE = reverse("news:list"), reverse("search")
WORD = marker("sample.hwp")  # a word found only inside sample.hwp


def titles(client, url, query):
    return (list_titles if url == LIST else site_titles)(client, q=query)


def attach_hwp(clip, *, pending=False):
    from django.core.files.base import ContentFile

    from core.filetypes import KINDS

    attachment = Attachment(clip=clip, pending=pending, title="Budget notes")
    data = sample("sample.hwp").read_bytes()
    attachment.set_checked_file("2019_budget.hwp", KINDS[".hwp"], ContentFile(data, name="2019_budget.hwp"))
    attachment.save()
    return attachment


def test_a_word_only_inside_a_live_attachment_finds_its_clip_with_the_passage(client, make_clip):
    clip = make_clip(title="Budget briefing")
    attach_hwp(clip)
    assert "Budget briefing" not in titles(client, LIST, WORD), "nothing is searchable before it is converted"
    run_queue()
    assert "Budget briefing" in titles(client, LIST, WORD)
    assert "Budget briefing" in titles(client, SITE, WORD)
    page = client.get(LIST, {"q": WORD}).content.decode()
    assert "…found in 2019_budget.hwp: " in page
    assert f"<mark>{WORD}</mark>" in page


def test_the_same_word_in_a_drafts_attachment_finds_nothing(client, make_clip):
    draft = make_clip(title="Draft briefing", status=NewsClip.Status.DRAFT)
    attach_hwp(draft)
    run_queue()
    assert titles(client, LIST, WORD) == []
    assert titles(client, SITE, WORD) == []


def test_the_same_word_in_a_pending_attachment_of_a_live_clip_finds_nothing(client, make_clip):
    live = make_clip(title="Live briefing")
    attach_hwp(live, pending=True)  # added by a draft of the live clip, not yet published
    run_queue()
    assert titles(client, LIST, WORD) == []
    assert WORD not in client.get(live.get_absolute_url()).content.decode()


def test_publishing_the_draft_makes_its_attachment_text_searchable(client, make_clip):
    from news.publishing import workflow

    live = make_clip(title="Live briefing")
    attach_hwp(live, pending=True)
    run_queue()
    workflow.publish(live, None)
    assert "Live briefing" in titles(client, LIST, WORD)


def test_a_deleted_attachment_takes_its_text_out_of_the_index(client, make_clip):
    clip = make_clip(title="Budget briefing")
    hwp = attach_hwp(clip)
    run_queue()
    hwp.delete()
    assert titles(client, LIST, WORD) == []
