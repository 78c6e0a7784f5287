"""Editors draft and submit; only Publishers publish, schedule and unpublish — by any route."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import ClipRevision, NewsClip
from news.publishing import workflow
from tests.helpers import change_url, clip_form_data, form_data, post_change

pytestmark = pytest.mark.django_db
Status = NewsClip.Status
CHANGELIST = reverse("admin:news_newsclip_changelist")


def public(clip):
    return NewsClip.objects.published().filter(pk=clip.pk).exists()


@pytest.mark.parametrize("step", ["publish", "schedule"])
def test_editor_cannot_publish_a_draft_with_a_button(editor, make_clip, step):
    clip = make_clip(status=Status.DRAFT, publish_at=timezone.now() + timedelta(days=1))
    assert post_change(editor, clip, step=step).status_code == 403
    clip.refresh_from_db()
    assert clip.status == Status.DRAFT


def test_editor_cannot_unpublish_with_a_button(editor, make_clip):
    clip = make_clip()
    assert post_change(editor, clip, step="unpublish").status_code == 403
    assert public(clip)


def test_editor_does_not_see_the_publishing_buttons(editor, publisher, make_clip):
    clip = make_clip()
    assert 'value="publish"' not in editor.get(change_url(clip)).content.decode()
    assert 'value="publish"' in publisher.get(change_url(clip)).content.decode()


def test_editor_crafted_status_is_ignored(editor, make_clip):
    clip = make_clip(status=Status.DRAFT)
    post_change(editor, clip, status="published")
    clip.refresh_from_db()
    assert clip.status == Status.DRAFT


def test_editor_adding_a_clip_marked_published_gets_a_draft(editor):
    response = editor.post(reverse("admin:news_newsclip_add"), clip_form_data(slug="sneaky", status="published"))
    assert response.status_code == 302
    assert NewsClip.objects.get(slug="sneaky").status == Status.DRAFT


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_editor_has_no_bulk_publishing_actions(editor, make_clip, action):
    clip = make_clip(status=Status.DRAFT if action == "publish" else Status.PUBLISHED)
    assert f'value="{action}"' not in editor.get(CHANGELIST).content.decode()
    editor.post(CHANGELIST, {"action": action, "_selected_action": [clip.pk], "confirmed": "yes"})
    clip.refresh_from_db()
    assert clip.status == (Status.DRAFT if action == "publish" else Status.PUBLISHED)


def test_editor_cannot_edit_state_in_the_changelist(editor, make_clip):
    clip = make_clip(status=Status.DRAFT)
    editor.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(clip.pk),
            "form-0-status": "published",
            "_save": "Save",
        },
    )
    clip.refresh_from_db()
    assert clip.status == Status.DRAFT


@pytest.mark.parametrize("decision", ["approve", "send_back", "discard"])
def test_editor_cannot_decide_reviews(editor, make_clip, decision):
    clip = make_clip(status=Status.DRAFT)
    workflow.saved(clip, editor.user, submitted=True)
    response = editor.post(
        reverse("admin:news_newsclip_review", args=[clip.pk]), {"decision": decision, "comment": "x"}
    )
    assert response.status_code == 403
    clip.refresh_from_db()
    assert clip.status == Status.DRAFT and clip.review == NewsClip.Review.REQUESTED


def test_editor_cannot_delete_a_clip(editor, make_clip):
    clip = make_clip()
    assert editor.post(reverse("admin:news_newsclip_delete", args=[clip.pk]), {"post": "yes"}).status_code == 403
    assert public(clip)


def test_editor_restore_only_drafts(editor, make_clip):
    clip = make_clip(title="Original")
    workflow.save_draft(clip, editor.user, {**workflow.snapshot(clip), "title": "Changed"})
    old = clip.revisions.get()
    workflow.publish(clip, None)
    editor.post(reverse("admin:news_newsclip_restore", args=[clip.pk, old.pk]))
    clip.refresh_from_db()
    assert clip.title == "Changed" and clip.revisions.get(pending=True).data["title"] == "Changed"


def test_publisher_can_publish_schedule_and_unpublish(publisher, make_clip):
    clip = make_clip(status=Status.DRAFT, publish_at=timezone.now() - timedelta(hours=1))
    assert post_change(publisher, clip, step="publish").status_code == 302
    assert public(clip)
    assert post_change(publisher, clip, step="confirm_unpublish").status_code == 302
    assert not public(clip)
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    assert post_change(publisher, clip, step="schedule", publish_at=later).status_code == 302
    clip.refresh_from_db()
    assert clip.state() == Status.SCHEDULED and clip.publish_at == later
    actions = list(clip.revisions.values_list("action", "user__username"))
    assert actions == [("scheduled", "pat"), ("unpublished", "pat"), ("published", "pat")]


def test_scheduling_a_live_clip_asks_for_confirmation(publisher, make_clip):
    clip = make_clip()
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = post_change(publisher, clip, step="schedule", publish_at=later)
    assert response.status_code == 200
    assert "takes it off the site until then" in response.content.decode()
    assert public(clip)
    response = post_change(publisher, clip, step="schedule", publish_at=later, confirm_takedown=True)
    assert response.status_code == 302 and not public(clip)


def test_bulk_actions_are_recorded_for_each_clip(publisher, make_clip):
    clips = [make_clip(status=Status.DRAFT) for _ in range(2)]
    publisher.post(CHANGELIST, {"action": "publish", "_selected_action": [c.pk for c in clips]})
    for clip in clips:
        revision = clip.revisions.get()
        assert (revision.action, revision.user, revision.note) == (
            "published",
            publisher.user,
            "Bulk action on 2 clip(s)",
        )


def test_superuser_actions_are_recorded_too(admin_client, admin_user, make_clip):
    clip = make_clip(status=Status.DRAFT)
    post_change(admin_client, clip, step="publish")
    assert clip.revisions.get().user == admin_user


def test_review_queue_approve_and_send_back(editor, publisher, make_clip):
    clip = make_clip(title="Needs sign-off")
    data = form_data(editor, clip, title="Signed-off title")
    data["_workflow"] = "submit"
    editor.post(change_url(clip), data)
    index = publisher.get(reverse("admin:index")).content.decode()
    assert "Review queue" in index and "Needs sign-off" in index
    review = reverse("admin:news_newsclip_review", args=[clip.pk])
    assert publisher.post(review, {"decision": "send_back", "comment": ""}).status_code == 302
    clip.refresh_from_db()
    assert clip.review == NewsClip.Review.REQUESTED, "sending back needs a comment"
    publisher.post(review, {"decision": "send_back", "comment": "Check the second paragraph."})
    page = editor.get(change_url(clip)).content.decode()
    assert "Sent back" in page and "Check the second paragraph." in page
    assert "Check the second paragraph." in editor.get(reverse("admin:index")).content.decode()
    data = form_data(editor, clip)
    data["_workflow"] = "submit"
    editor.post(change_url(clip), data)
    publisher.post(review, {"decision": "approve"})
    clip.refresh_from_db()
    assert clip.title == "Signed-off title" and public(clip) and clip.review == NewsClip.Review.NONE
    assert clip.revisions.first().action == ClipRevision.Action.PUBLISHED
