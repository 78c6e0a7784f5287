"""The clip desk in Korean: a staff member who chose 한국어 sees the clip form, the list, the review
queue and the revisions in Korean, with none of our English labels left (locale/ko)."""

import re

import pytest
from django.urls import reverse

from core.models import StaffPreference
from news.models import NewsClip
from tests.helpers import admin_english_left, change_url, post_change

pytestmark = pytest.mark.django_db


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style|svg|template)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    # Attribute text people read or hear: titles, placeholders, labels for screen readers.
    said = " ".join(re.findall(r'(?:title|placeholder|aria-label|value)="([^"]*)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html) + " " + said)


def english_left(text, content=()):
    return admin_english_left(text, content)


@pytest.fixture
def korean(editor, publisher):
    for client in (editor, publisher):
        StaffPreference.objects.create(user=client.user, language="ko")
    return editor, publisher


def test_the_clip_form_for_a_new_clip_is_in_korean(korean):
    editor, _publisher = korean
    response = editor.get(reverse("admin:news_newsclip_add"), headers={"Accept-Language": "en"})
    text = visible_text(response)
    assert response["Content-Language"] == "ko"
    labels = ("제목", "부제", "핵심 내용", "본문", "게시일시", "저장", "검토 요청", "미리보기", "사진", "첨부파일")
    for korean_words in labels:
        assert korean_words in text, korean_words
    assert english_left(text) == []


def test_a_live_clip_with_a_submitted_change_reads_in_korean_for_both_roles(korean, seeded):
    editor, publisher = korean
    clip = seeded
    content = [clip.title, clip.subtitle, clip.author_name, *clip.highlights.splitlines()]
    response = post_change(editor, clip, step="submit", title="A year in innovation, revised")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["검토를 요청했습니다. 게시 담당자가 승인하거나 반려합니다."]

    form = editor.get(change_url(clip))
    text = visible_text(form)
    assert "게시 전 수정 내용이 있습니다" in text and "검토 중" in text and "임시저장" in text
    assert english_left(text, content + ["A year in innovation, revised"]) == []

    queue = publisher.get(reverse("admin:index"))
    text = visible_text(queue)
    assert "검토 대기 목록" in text and "즉시 승인" in text and "반려" in text and "이 시각으로 승인" in text
    assert english_left(text, content) == []

    revisions = publisher.get(reverse("admin:news_newsclip_revisions", args=[clip.pk]))
    text = visible_text(revisions)
    assert "수정 이력" in text and "임시저장본으로 복원" in text
    notes = list(clip.revisions.values_list("note", flat=True))  # recorded words, not labels
    assert english_left(text, content + notes) == []


def test_the_clip_list_is_in_korean(korean, seeded):
    editor, _publisher = korean
    text = visible_text(editor.get(reverse("admin:news_newsclip_changelist")))
    assert "뉴스 기사" in text and "상태" in text and "게시 중" in text
    titles = list(NewsClip.objects.values_list("title", flat=True))
    assert english_left(text, titles) == []


def test_a_publishers_unpublish_asks_in_korean(korean, seeded):
    _editor, publisher = korean
    response = post_change(publisher, seeded, step="unpublish")
    text = visible_text(response)
    assert "이 기사를 게시 중지할까요?" in text and "예, 게시 중지합니다" in text
    assert seeded.is_published(), "nothing happens before the answer"
