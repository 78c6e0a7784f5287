"""The press office's morning in Korean, in a real browser: an editor who chose 한국어 writes a clip,
uploads a photo, previews and submits it; a publisher (한국어 too) schedules it from the review
queue, then publishes it; a fix to the live clip goes out; the clip is unpublished after a
confirmation. Every page speaks Korean and no English label of ours is left on it.

Screenshots (desktop and phone) go to var/screenshots/korean-admin/ (git-ignored)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from core.models import StaffPreference
from news.models import NewsClip
from tests.helpers import admin_english_left, ensure_roles, image_bytes

from .helpers import DESKTOP, PHONE, SLUG, TITLE, add_photo, click_step, fill_clip_fields, login_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "korean-admin"
# What the editor typed: English on purpose (the public site is English).
TYPED = [
    TITLE,
    "Thousands of lanterns float along the restored stream",
    "3,000 lanterns on the water",
    "Free for every visitor",
    "Communications Office",
    "Lanterns floating on the stream at dusk",
    "On the water",
    "lanterns.jpg",
    SLUG,
]


@pytest.fixture
def korean_staff(site, new_context, django_user_model):
    ensure_roles()

    def log_in(name, group):
        password = f"{name}-pw-2019!"
        user = django_user_model.objects.create_user(name, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        StaffPreference.objects.create(user=user, language="ko")
        page = new_context(locale="en-US").new_page()  # the browser asks for English: the choice wins
        login_to_admin(page, site, name, password)
        return page

    return log_in


def shots(page, name):
    """The page at desktop and at phone width; at phone width, nothing wider than the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wider = None
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        if label == "phone":
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(DESKTOP)
    assert wider <= 0, f"{name}: {wider}px wider than a phone's screen"


def assert_korean(page, *korean, content=()):
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    text = page.locator("#container").inner_text()
    said = " ".join(
        page.locator("[title], [placeholder], [aria-label]").evaluate_all(
            "els => els.map(el => [el.title, el.placeholder, el.getAttribute('aria-label')].join(' '))"
        )
    )
    for words in korean:
        assert words in text, f"“{words}” is not on {page.url}"
    left = admin_english_left(text + " " + said, [*TYPED, *content])
    assert left == [], f"English left on {page.url}: {left}"


def test_the_korean_morning(site, korean_staff, new_context, tmp_path):
    reader = new_context().new_page()
    editor = korean_staff("eunji", "Editors")

    # Write: the clip form in Korean.
    editor.goto(f"{site}/admin/news/newsclip/add/")
    assert_korean(editor, "제목", "부제", "핵심 내용", "본문", "검토 요청", "미리보기", "자료실에서 사진 선택")
    fill_clip_fields(editor)
    photo = tmp_path / "lanterns.jpg"
    photo.write_bytes(image_bytes("JPEG", (320, 200), (200, 120, 20)))
    add_photo(editor, str(photo), alt="Lanterns floating on the stream at dusk", caption="On the water")
    shots(editor, "1-editor-clip-form")

    # Preview: the unsaved form as the public page, with the admin's banner in Korean.
    with editor.context.expect_page() as new_tab:
        editor.locator('button[name="_preview"]').last.click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.locator(".draft-banner")).to_contain_text("저장하지 않은 내용의 미리보기")
    assert preview.locator("h1").inner_text() == TITLE
    preview.close()
    assert not NewsClip.objects.filter(slug=SLUG).exists()

    # Submit for review.
    click_step(editor, "submit")
    editor.wait_for_url(re.compile(r"/admin/news/newsclip/\d+/change/"))
    expect(editor.locator(".messagelist .success")).to_contain_text("검토를 요청했습니다")
    expect(editor.locator(".workflow-panel")).to_contain_text("검토 중")
    assert_korean(editor, "게시", "작성 중", "검토 중", "사진 설명", "대체 텍스트")
    shots(editor, "2-editor-submitted")
    clip = NewsClip.objects.get(slug=SLUG)
    public_url = f"{site}{clip.get_absolute_url()}"
    assert reader.goto(public_url).status == 404

    # The publisher reviews in the queue and approves it for a time.
    publisher = korean_staff("minho", "Publishers")
    publisher.goto(f"{site}/admin/")
    queue = publisher.locator(".workflow-queue")
    expect(queue).to_contain_text(TITLE)
    assert_korean(publisher, "검토 대기 목록", "즉시 승인", "반려", "이 시각으로 승인", "또는 게시 시각 지정")
    shots(publisher, "3-publisher-review-queue")
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    publisher.fill(f"#publish-at-{clip.pk}", f"{at:%Y-%m-%dT%H:%M}")
    queue.locator('button[value="approve_at"]').click()
    expect(publisher.locator(".messagelist .success")).to_contain_text(f"{at:%Y-%m-%d %H:%M}에 게시되도록 예약했습니다")
    clip.refresh_from_db()
    assert clip.state() == NewsClip.Status.SCHEDULED and clip.publish_at == at
    assert reader.goto(public_url).status == 404

    # Then publishes it at once from the clip's form.
    publisher.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    assert_korean(publisher, "예약 게시", "지금 게시", "게시 중지")
    click_step(publisher, "publish")
    expect(publisher.locator(".messagelist .success")).to_contain_text("게시했습니다")
    assert reader.goto(public_url).status == 200

    # A fix to the live clip: a draft until the publisher publishes it.
    fixed = "Thousands of lanterns float along the restored Gwangju stream"
    editor.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    editor.fill("#id_subtitle", fixed)
    click_step(editor, "save")
    expect(editor.locator(".messagelist .success")).to_contain_text("임시저장했습니다")
    expect(editor.locator(".workflow-draft")).to_contain_text("게시 전 수정 내용이 있습니다")
    assert_korean(editor, "임시저장", "수정 내용 미리보기", content=[fixed])
    shots(editor, "4-editor-fix-to-live-clip")
    reader.goto(public_url)
    assert fixed not in reader.locator("main").inner_text()
    publisher.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    click_step(publisher, "publish")
    expect(publisher.locator(".messagelist .success")).to_contain_text("게시했습니다")
    reader.goto(public_url)
    assert fixed in reader.locator("main").inner_text()

    # Unpublish, after a confirmation in Korean.
    click_step(publisher, "unpublish")
    confirmation = publisher.locator(".workflow-confirmation")
    expect(confirmation).to_contain_text("이 기사를 게시 중지할까요?")
    assert_korean(publisher, "예, 게시 중지합니다", "아니요", content=[fixed])
    shots(publisher, "5-publisher-unpublish-confirmation")
    assert reader.goto(public_url).status == 200, "nothing happens before the answer"
    confirmation.locator('button[value="confirm_unpublish"]').click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("게시를 중지했습니다")
    assert reader.goto(public_url).status == 404
    shots(publisher, "6-publisher-unpublished")
