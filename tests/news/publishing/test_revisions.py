"""History: every step recorded, any two revisions compared, an old one restored as a new draft."""

import re

import pytest
from django.urls import reverse

from news.models import ClipImage, NewsClip
from news.publishing import workflow
from news.publishing.revision_diff import body_lines, compare
from tests.helpers import change_url, post_change

pytestmark = pytest.mark.django_db


def compare_url(clip, a, b):
    return reverse("admin:news_newsclip_compare", args=[clip.pk]) + f"?a={a}&b={b}"


def test_compare_shows_who_changed_which_words(editor, publisher, make_clip, make_project):
    project = make_project(name="Green New Deal")
    clip = make_clip(body="<p>The city opened a park.</p><p>It has trees.</p>", highlights="One\nTwo")
    post_change(editor, clip, body="<p>The city opened a big park.</p><p>It has trees.</p>", projects=[project])
    draft = clip.revisions.get(pending=True)
    html = publisher.get(compare_url(clip, "live", draft.pk)).content.decode()
    assert re.search(r"opened a ?<ins> ?big ?</ins> ?park\.", html), "the one inserted word is marked"
    assert "It has trees." in html, "unchanged lines give context"
    assert "Related projects" in html and "Green New Deal" in html
    assert "Highlights" not in html, "unchanged fields are left out"
    assert f"Saved a draft by {editor.user}" in html


def test_compare_escapes_editor_input(publisher, make_clip):
    clip = make_clip(title="Plain")
    workflow.save_draft(clip, publisher.user, {**workflow.snapshot(clip), "title": "<script>alert(1)</script>"})
    html = publisher.get(compare_url(clip, "live", clip.revisions.get().pk)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_compare_of_removed_and_added_photos(make_clip, make_photo):
    clip = make_clip()
    photo = make_photo(clip, caption="Harbour at dawn")
    before = workflow.snapshot(clip)
    photo.caption = "Harbour at dusk"
    after = workflow.snapshot(clip, photos=[photo])
    [change] = compare(before, after)
    assert change["field"] == "Photos"
    assert [kind for kind, _ in change["rows"]] == ["changed"]
    assert "Harbour at <del>dawn</del><ins>dusk</ins>" in str(change["rows"][0][1])


def test_body_lines_are_the_text_readers_see():
    assert body_lines("<p>A &amp; B</p><ul><li>one</li><li>two</li></ul>") == ["A & B", "one", "two"]


@pytest.mark.parametrize("key", ["999999", "abc"])
def test_compare_of_an_unknown_revision_is_404(publisher, make_clip, key):
    assert publisher.get(compare_url(make_clip(), "live", key)).status_code == 404


def test_restore_makes_an_old_revision_a_draft_of_a_live_clip(editor, make_clip):
    clip = make_clip(title="First wording")
    first = workflow.record(clip, editor.user, "saved")
    clip.title = "Second wording"
    clip.save()
    response = editor.post(reverse("admin:news_newsclip_restore", args=[clip.pk, first.pk]))
    assert response.status_code == 302
    clip.refresh_from_db()
    assert clip.title == "Second wording", "the public keeps the live version"
    draft = clip.revisions.get(pending=True)
    assert draft.data["title"] == "First wording" and draft.action == "restored"


def test_restore_reports_a_deleted_photo_and_restores_the_rest(editor, publisher, make_clip, make_photo):
    clip = make_clip(title="With two photos")
    kept = make_photo(clip, caption="Kept")
    gone = make_photo(clip, caption="Gone")
    old = workflow.record(clip, editor.user, "saved")
    workflow.publish(clip, publisher.user, data={**workflow.snapshot(clip, photos=[kept]), "title": "One photo"})
    assert not ClipImage.objects.filter(pk=gone.pk).exists()
    response = editor.post(reverse("admin:news_newsclip_restore", args=[clip.pk, old.pk]), follow=True)
    page = response.content.decode()
    assert "Not restored: photo “Gone” was deleted and cannot be restored." in page
    draft = clip.revisions.get(pending=True)
    assert draft.data["title"] == "With two photos"
    assert [p["id"] for p in draft.data["photos"]] == [kept.pk]


def test_restore_of_a_draft_clip_changes_the_row(editor, make_clip):
    clip = make_clip(title="Old", status=NewsClip.Status.DRAFT)
    old = workflow.record(clip, editor.user, "saved")
    clip.title = "New"
    clip.save()
    workflow.restore(clip, old, editor.user)
    clip.refresh_from_db()
    assert clip.title == "Old" and clip.revisions.first().action == "restored"


def test_revisions_page_lists_every_step(publisher, make_clip):
    clip = make_clip(status=NewsClip.Status.DRAFT)
    post_change(publisher, clip)
    post_change(publisher, clip, step="publish")
    post_change(publisher, clip, title="Edited live")
    html = publisher.get(reverse("admin:news_newsclip_revisions", args=[clip.pk])).content.decode()
    for label in ("Saved a draft", "Published", "Saved"):
        assert label in html
    assert "(current draft)" in html


# --- optimistic locking -----------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused(editor, publisher, make_clip):
    from tests.helpers import form_data

    clip = make_clip(title="Shared clip")
    first = form_data(editor, clip, title="Editor's title")
    second = form_data(publisher, clip, title="Publisher's title")
    assert editor.post(change_url(clip), {**first, "_workflow": "save"}).status_code == 302
    response = publisher.post(change_url(clip), {**second, "_workflow": "save"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "was changed by eddie after you opened it" in html
    draft = clip.revisions.get(pending=True)
    assert draft.data["title"] == "Editor's title", "no silent overwrite"
    # The form was opened before any revision: compare the live version with theirs.
    assert compare_url(clip, "live", draft.pk).replace("&", "&amp;") in html


def test_a_form_without_its_lock_token_is_refused(editor, make_clip):
    from tests.helpers import form_data

    clip = make_clip()
    data = form_data(editor, clip, title="Blind write")
    del data["lock_token"]
    assert editor.post(change_url(clip), {**data, "_workflow": "save"}).status_code == 200
    assert not clip.revisions.exists()


# --- preview ------------------------------------------------------------------------------


def test_preview_renders_the_unsaved_form_and_saves_nothing(editor, make_clip, make_photo):
    from tests.helpers import form_data

    clip = make_clip(title="Saved title")
    make_photo(clip, caption="Photo caption")
    views = clip.view_count
    data = form_data(editor, clip, title="Unsaved title", body="<p>Unsaved text<script>x()</script></p>")
    response = editor.post(reverse("admin:news_newsclip_preview", args=[clip.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unsaved title" in html and "Unsaved text" in html and "<script>x()" not in html
    assert "Photo caption" in html and "nothing has been saved" in html
    assert "no-store" in response["Cache-Control"]
    clip.refresh_from_db()
    assert clip.title == "Saved title" and clip.view_count == views and not clip.revisions.exists()


def test_preview_of_a_new_clip(editor):
    from tests.helpers import clip_form_data

    response = editor.post(reverse("admin:news_newsclip_preview_new"), clip_form_data(title="Brand new"))
    assert response.status_code == 200 and "Brand new" in response.content.decode()
    assert not NewsClip.objects.exists()


def test_preview_needs_view_permission(client, django_user_model, make_clip):
    user = django_user_model.objects.create_user("nobody", password="pw-nobody-123", is_staff=True)
    client.force_login(user)
    clip = make_clip()
    assert client.post(reverse("admin:news_newsclip_preview", args=[clip.pk]), {}).status_code == 403
    assert client.get(reverse("admin:news_newsclip_draft", args=[clip.pk])).status_code == 403


def test_a_stale_form_links_to_the_compare_of_its_start_and_the_latest(editor, publisher, make_clip):
    from tests.helpers import form_data

    clip = make_clip(status=NewsClip.Status.DRAFT)
    start = workflow.record(clip, editor.user, "saved")
    second = form_data(publisher, clip, title="Publisher's title")
    post_change(editor, clip, title="Editor's title")
    response = publisher.post(change_url(clip), {**second, "_workflow": "save"})
    latest = clip.revisions.first()
    assert latest.pk != start.pk
    assert compare_url(clip, start.pk, latest.pk).replace("&", "&amp;") in response.content.decode()
    clip.refresh_from_db()
    assert clip.title == "Editor's title"
