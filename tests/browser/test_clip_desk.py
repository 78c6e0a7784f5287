"""The clip form's safety nets and writing aids in a real browser: the warning before leaving, the
recovery copy (per account, cleared by a save, kept through an expired session), the error summary,
character counts, the share card, the checks panel, ordering new rows, the Unpublish question."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from news.models import NewsClip
from tests.helpers import SEED_SLUG, image_bytes

from .helpers import PASSWORD, add_photo, click_step, fill_clip_fields, login_to_admin, paste_html, save_screenshot
from .test_editor_journey import write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed_form(page, site):
    clip = NewsClip.objects.get(slug=SEED_SLUG)
    page.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    expect(page.locator(".prose-editor .ProseMirror[contenteditable=true]")).to_be_visible()
    page.wait_for_load_state("load")
    return clip


def body_editor(page):
    return page.locator(".prose-editor:has(#id_body) .ProseMirror[contenteditable=true]")


def test_leaving_with_unsaved_changes_asks_first_and_saving_does_not(site, editor_page):
    page = editor_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    seed_form(page, site)
    page.goto(f"{site}/admin/")
    assert dialogs == [], "nothing changed: nothing to ask"

    seed_form(page, site)
    page.fill("#id_subtitle", "A subtitle nobody saved")
    page.goto(f"{site}/admin/")
    assert dialogs == ["beforeunload"]

    seed_form(page, site)
    page.fill("#id_subtitle", "A subtitle that is saved")
    click_step(page, "save")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert dialogs == ["beforeunload"], "a save is not a departure"


def test_a_recovery_copy_comes_back_after_a_closed_tab_and_goes_after_a_save(site, editor_page, django_user_model):
    page = editor_page
    context = page.context
    seed_form(page, site)
    page.fill("#id_title", "A headline written before the crash")
    body_editor(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" A sentence typed before the crash.")
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('gwangju-desk:'))")
    page.close(run_before_unload=False)  # the tab closed, the browser crashed

    page = context.new_page()
    seed_form(page, site)
    notice = page.locator("#desk-recovery")
    expect(notice).to_contain_text("kept a copy of changes to this clip that were not saved")
    save_screenshot(page, "clip-desk-recovery-offered")
    notice.get_by_role("button", name="Restore my changes").click()
    expect(page.locator("#id_title")).to_have_value("A headline written before the crash")
    expect(body_editor(page)).to_contain_text("A sentence typed before the crash.")

    # Another account in the same browser never sees it.
    other = context.browser.new_context()
    django_user_model.objects.create_superuser("colleague", "colleague@example.org", PASSWORD)
    other_page = other.new_page()
    login_to_admin(other_page, site, "colleague", PASSWORD)
    seed_form(other_page, site)
    expect(other_page.locator("#desk-recovery")).to_have_count(0)
    other.close()

    click_step(page, "save")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert NewsClip.objects.get(slug=SEED_SLUG).revisions.filter(pending=True).get().data["title"] == (
        "A headline written before the crash"
    )
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator("#desk-recovery")).to_have_count(0)
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('gwangju-desk:'))") == []


def test_the_copy_survives_a_save_refused_by_an_expired_session(site, editor_page):
    page = editor_page
    seed_form(page, site)
    page.fill("#id_subtitle", "Written while the session expired")
    page.context.clear_cookies(name="sessionid")  # the session expired; the CSRF cookie stays
    click_step(page, "save")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    seed_form(page, site)
    page.locator("#desk-recovery").get_by_role("button", name="Restore my changes").click()
    expect(page.locator("#id_subtitle")).to_have_value("Written while the session expired")


def test_a_refused_form_focuses_its_error_summary_whose_links_reach_each_field(site, editor_page, tmp_path):
    page = editor_page
    page.goto(f"{site}/admin/news/newsclip/add/")
    fill_clip_fields(page, title="", slug="refused-form")
    add_photo(page, write(tmp_path / "lanterns.jpg", image_bytes()), alt="")
    click_step(page, "save")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Nothing was saved: correct these 2 errors.")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    save_screenshot(page, "clip-desk-error-summary")
    summary.get_by_role("link", name=re.compile("Photo 1: alt text")).click()
    page.wait_for_function("() => document.activeElement.name === 'images-0-alt_text'")
    summary.get_by_role("link", name=re.compile("^Title")).click()
    page.wait_for_function("() => document.activeElement.id === 'id_title'")


def test_writing_aids_count_preview_and_check_as_the_editor_writes(site, editor_page):
    page = editor_page
    NewsClip.objects.create(title="A draft clip", slug="a-draft-clip", body="<p>x</p>", status=NewsClip.Status.DRAFT)
    seed_form(page, site)
    title = "Gwangju! A year in innovation, and three more years working for the future of Korea"
    page.fill("#id_title", title)
    count = page.locator("#id_title_count")
    expect(count).to_contain_text(f"{len(title)} characters")
    expect(count.locator(".desk-over").first).to_contain_text("Search results cut it after 60")
    page.fill("#id_subtitle", "Three more years working for the future of Korea")

    card = page.locator("#desk-share-card")
    expect(card.locator(".share-card-title")).to_have_text(title)
    expect(card.locator(".share-card-description")).to_have_text("Three more years working for the future of Korea")
    expect(card.locator(".share-card-site")).to_have_text(urlsplit(settings.SITE_URL).netloc)
    assert "/thumb/" in card.locator("img").get_attribute("src"), "the first photo, as share cards show it"

    paste_html(
        page,
        "body",
        "<h4>Results</h4><p>Read the report <a href='https://www.gwangju.go.kr/report'>click here</a>. "
        "See also <a href='/news/a-draft-clip/'>the draft clip</a> and <a href='/news/gone-clip/'>an old one</a>.</p>"
        f"<p>{' '.join(['word'] * 160)}</p>",
    )
    page.fill('[name="images-0-alt_text"]', "IMG_2041.jpg")
    checks = page.locator("#desk-checks-list")
    expect(checks).to_contain_text("The first heading, “Results”, is level 4")
    expect(checks).to_contain_text("The link text “click here” says nothing about where it goes")
    expect(checks).to_contain_text("has 160 words")
    expect(checks).to_contain_text("Photo 1: the alt text “IMG_2041.jpg” looks like a file name")
    expect(checks).to_contain_text("The link “the draft clip” goes to a clip that readers cannot see yet (draft)")
    expect(checks).to_contain_text("The link “an old one” goes to a clip that does not exist")
    expect(page.locator("#desk-checks-outbound")).to_be_visible()
    page.locator("#desk-aids").scroll_into_view_if_needed()
    save_screenshot(page, "clip-desk-writing-aids")

    # The checks never block saving.
    click_step(page, "save")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_new_photo_rows_are_ordered_before_the_first_save(site, editor_page, tmp_path):
    page = editor_page
    page.goto(f"{site}/admin/news/newsclip/add/")
    fill_clip_fields(page, title="Ordered before saving", slug="ordered-before-saving")
    add_photo(page, write(tmp_path / "first.jpg", image_bytes()), alt="Chosen first", caption="First chosen")
    add_photo(page, write(tmp_path / "second.png", image_bytes("PNG")), alt="Chosen second", caption="Second chosen")
    second = page.locator("#images-1")
    second.get_by_role("button", name="Move up").click()
    expect(page.locator("#images-group .inline-related:not(.empty-form)").first).to_have_id("images-1")
    click_step(page, "save")
    page.wait_for_url(re.compile(r"/admin/news/newsclip/\d+/change/"))
    clip = NewsClip.objects.get(slug="ordered-before-saving")
    assert list(clip.images.values_list("caption", flat=True)) == ["Second chosen", "First chosen"]


def test_unpublish_asks_on_the_form_and_keeps_the_edits(site, editor_page):
    page = editor_page
    clip = seed_form(page, site)
    page.fill("#id_subtitle", "Edited before unpublishing")
    page.locator('button[name="_workflow"][value="unpublish"]').last.click()
    box = page.locator("#workflow-confirmation")
    expect(box).to_contain_text("Unpublish this clip?")
    page.wait_for_function("() => document.activeElement.id === 'workflow-confirmation'")
    expect(page.locator("#id_subtitle")).to_have_value("Edited before unpublishing")
    save_screenshot(page, "clip-desk-unpublish-question")
    assert NewsClip.objects.published().filter(pk=clip.pk).exists()
    box.get_by_role("button", name="Yes, unpublish it").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Unpublished")
    assert not NewsClip.objects.published().filter(pk=clip.pk).exists()
