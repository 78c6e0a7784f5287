"""Sign-off in a real browser: an editor drafts a change to the live seed clip and submits it;
a publisher compares and approves it from the review queue; only then does the public see it."""

import re

import pytest
from playwright.sync_api import expect

from news.models import NewsClip
from tests.helpers import SEED_SLUG, ensure_roles

from .helpers import SCREENSHOTS, login_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TITLE = "Gwangju! A year in innovation, and the next one"


@pytest.fixture
def staff(site, new_context, django_user_model):
    from django.contrib.auth.models import Group

    ensure_roles()

    def log_in(name, group):
        password = f"{name}-pw-2019!"
        user = django_user_model.objects.create_user(name, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        page = new_context().new_page()
        login_to_admin(page, site, name, password)
        return page

    return log_in


def shot(locator, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_editor_submits_publisher_compares_and_approves(site, staff, new_context):
    clip = NewsClip.objects.get(slug=SEED_SLUG)
    old_title = clip.title
    public_url = f"{site}{clip.get_absolute_url()}"
    reader = new_context().new_page()

    editor = staff("eddie", "Editors")
    editor.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    expect(editor.locator('button[value="publish"]')).to_have_count(0)
    editor.fill("#id_title", NEW_TITLE)
    # Preview first: the unsaved form as the public page, in a new tab, saving nothing.
    with editor.context.expect_page() as new_tab:
        editor.locator('button[name="_preview"]').last.click()
    preview = new_tab.value
    preview.wait_for_load_state()
    assert preview.locator("h1").inner_text() == NEW_TITLE
    expect(preview.locator(".draft-banner")).to_contain_text("nothing has been saved")
    preview.close()
    assert NewsClip.objects.get(pk=clip.pk).title == old_title
    assert list(clip.revisions.values_list("action", flat=True)) == ["created"]  # the seed's base revision
    editor.locator('button[name="_workflow"][value="submit"]').last.click()
    expect(editor.locator(".messagelist .success")).to_contain_text("Submitted for review")
    panel = editor.locator(".workflow-panel")
    expect(panel).to_contain_text("This clip has unpublished changes")
    expect(panel).to_contain_text("In review")
    shot(panel, "workflow-state-panel")
    shot(editor.locator(".submit-row").last, "workflow-editor-buttons")

    reader.goto(public_url)
    assert reader.locator("h1").inner_text() == old_title, "a submitted draft is not public"

    publisher = staff("pat", "Publishers")
    publisher.goto(f"{site}/admin/")
    queue = publisher.locator(".workflow-queue")
    expect(queue).to_contain_text(f"{old_title} changes to a live clip")
    shot(queue, "workflow-review-queue")
    queue.get_by_role("link", name="Compare").click()
    publisher.wait_for_url(re.compile(r"/revisions/compare/"))
    expect(publisher.locator(".workflow-diff ins")).to_contain_text("and the next one")
    shot(publisher.locator("#content"), "workflow-compare")

    publisher.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    shot(publisher.locator(".submit-row").last, "workflow-publisher-buttons")
    publisher.goto(f"{site}/admin/")
    publisher.locator(".workflow-queue").get_by_role("button", name="Approve now").click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("published")
    expect(publisher.locator(".workflow-queue")).to_contain_text("Nothing is waiting for review")

    reader.goto(public_url)
    assert reader.locator("h1").inner_text() == NEW_TITLE
    actions = list(NewsClip.objects.get(pk=clip.pk).revisions.values_list("action", "user__username"))
    assert actions == [("published", "pat"), ("submitted", "eddie"), ("created", None)]
