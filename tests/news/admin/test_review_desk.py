"""Review and publishing from the desk: confirmations before a live clip leaves the site (pages that
work without JavaScript), approving now or for a time from the queue, Compare for every resubmission,
and a scheduled clip described as scheduled."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip
from news.publishing import workflow
from tests.helpers import change_url, post_change

Status = NewsClip.Status
pytestmark = pytest.mark.django_db


def public(clip):
    return NewsClip.objects.published().filter(pk=clip.pk).exists()


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def later(days=2):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def review(client, clip, **data):
    return client.post(reverse("admin:news_newsclip_review", args=[clip.pk]), data)


# --- Unpublish asks first -----------------------------------------------------------------------------


def test_unpublish_on_the_form_asks_before_taking_the_clip_down(publisher, make_clip):
    clip = make_clip(title="Live clip")
    response = post_change(publisher, clip, step="unpublish", title="Live clip, edited")
    assert response.status_code == 200 and public(clip)
    page = response.content.decode()
    assert "Unpublish this clip?" in page
    assert 'name="_workflow" value="confirm_unpublish"' in page
    assert "Please correct the error" not in page, "a question, not an error"
    assert 'value="Live clip, edited"' in page, "the form keeps what the editor wrote"

    response = post_change(publisher, clip, step="confirm_unpublish")
    assert response.status_code == 302 and not public(clip)
    clip.refresh_from_db()
    assert clip.status == Status.UNPUBLISHED


def test_the_unpublish_question_comes_with_other_errors_when_there_are_some(publisher, make_clip):
    clip = make_clip()
    response = post_change(publisher, clip, step="unpublish", title="")
    page = response.content.decode()
    assert "Nothing was saved: correct this error." in page and "Unpublish this clip?" in page
    assert re.search(r"<li><a href=\"#id_title\">Title: This field is required.</a></li>", page)
    assert public(clip)


def test_the_bulk_unpublish_asks_on_a_page_of_its_own(publisher, make_clip):
    clips = [make_clip(title="First live"), make_clip(title="Second live")]
    url = reverse("admin:news_newsclip_changelist")
    data = {"action": "unpublish", "_selected_action": [str(c.pk) for c in clips]}
    response = publisher.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unpublish 2 clip(s)?" in page and "“First live”" in page
    assert all(public(c) for c in clips)
    response = publisher.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    assert not any(public(c) for c in clips)
    assert "2 clips unpublished." in messages_of(response)


def test_scheduling_a_live_clip_asks_with_its_own_button(publisher, make_clip):
    clip = make_clip()
    at = later()
    response = post_change(publisher, clip, step="schedule", publish_at=at)
    page = response.content.decode()
    assert response.status_code == 200 and public(clip)
    assert 'value="confirm_schedule"' in page and "Take this live clip off the site" in page
    response = post_change(publisher, clip, step="confirm_schedule", publish_at=at)
    assert response.status_code == 302 and not public(clip)
    clip.refresh_from_db()
    assert clip.state() == Status.SCHEDULED and clip.publish_at == at


# --- approving from the queue ---------------------------------------------------------------------------


def test_a_submitted_new_clip_is_approved_for_a_time_from_the_queue(editor, publisher, make_clip):
    clip = make_clip(status=Status.DRAFT, title="New clip")
    post_change(editor, clip, step="submit")
    index = publisher.get(reverse("admin:index")).content.decode()
    assert 'value="approve_at"' in index and 'type="datetime-local"' in index
    at = later(3)
    response = review(publisher, clip, decision="approve_at", publish_at=f"{timezone.localtime(at):%Y-%m-%dT%H:%M}")
    assert response.status_code == 302
    clip.refresh_from_db()
    assert clip.state() == Status.SCHEDULED and clip.publish_at == at
    assert clip.review == NewsClip.Review.NONE
    assert f"scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M} KST" in messages_of(response)[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Choose the date and time"), ("2019-07-09T10:45", "in the future"), ("tomorrow", "is not a date")],
)
def test_an_approval_time_that_cannot_be_used_is_explained(editor, publisher, make_clip, value, message):
    clip = make_clip(status=Status.DRAFT)
    post_change(editor, clip, step="submit")
    response = review(publisher, clip, decision="approve_at", publish_at=value)
    assert response.status_code == 302
    assert message in messages_of(response)[0]
    clip.refresh_from_db()
    assert clip.status == Status.DRAFT and clip.review == NewsClip.Review.REQUESTED


def test_approving_a_live_clips_draft_for_a_later_time_asks_first(editor, publisher, make_clip):
    clip = make_clip(title="Live")
    post_change(editor, clip, step="submit", title="Live, corrected")
    at = later()
    when = f"{timezone.localtime(at):%Y-%m-%dT%H:%M}"
    response = review(publisher, clip, decision="approve_at", publish_at=when, comment="Fine")
    assert response.status_code == 200 and public(clip)
    page = response.content.decode()
    assert "Take this live clip off the site until" in page
    assert f'name="publish_at" value="{when}"' in page and 'name="confirmed" value="yes"' in page
    response = review(publisher, clip, decision="approve_at", publish_at=when, comment="Fine", confirmed="yes")
    assert response.status_code == 302 and not public(clip)
    clip.refresh_from_db()
    assert clip.title == "Live, corrected" and clip.state() == Status.SCHEDULED


def test_approve_now_of_a_draft_moving_a_live_clip_later_asks_instead_of_refusing(editor, publisher, make_clip):
    clip = make_clip()
    post_change(editor, clip, step="submit", publish_at=later())
    response = review(publisher, clip, decision="approve")
    assert response.status_code == 200 and "Take this live clip off the site" in response.content.decode()
    assert public(clip)


# --- Compare for every resubmission ----------------------------------------------------------------------


def test_a_resubmitted_new_clip_can_be_compared_with_the_version_sent_back(editor, publisher, make_clip):
    clip = make_clip(status=Status.DRAFT, title="First try")
    post_change(editor, clip, step="submit")
    review(publisher, clip, decision="send_back", comment="Shorter title, please")
    post_change(editor, clip, step="submit", title="Second try")
    index = publisher.get(reverse("admin:index")).content.decode()
    link = re.search(r'href="([^"]+)" class="workflow-compare-resubmission">Compare with the version sent back', index)
    assert link, "a Compare link for the resubmission"
    page = publisher.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r"<del>\s*First\s*</del>", page) and re.search(r"<ins>\s*Second\s*</ins>", page)
    assert "The current version (not public)" in page


def test_a_first_submission_has_no_resubmission_compare(editor, publisher, make_clip):
    clip = make_clip(status=Status.DRAFT)
    post_change(editor, clip, step="submit")
    assert "workflow-compare-resubmission" not in publisher.get(reverse("admin:index")).content.decode()


# --- a scheduled clip is described as scheduled ------------------------------------------------------------


def test_a_scheduled_clip_is_never_described_as_on_the_site(editor, publisher, make_clip):
    at = later()
    clip = make_clip(publish_at=at)
    assert clip.state() == Status.SCHEDULED
    response = post_change(editor, clip, step="submit", title="Changed before it goes live")
    assert response.status_code == 302
    form = editor.get(change_url(clip)).content.decode()
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}"
    assert f"The version scheduled for {when} KST goes live unless these changes are published first." in form
    assert "The public sees the live version" not in form and "This clip is on the site" not in form
    index = publisher.get(reverse("admin:index")).content.decode()
    assert f"changes to a clip scheduled for {when} KST" in index and "changes to a live clip" not in index
    assert "Compare with the scheduled version" in index
    response = post_change(editor, clip, title="Saved again")
    assert messages_of(response) == [
        f"Saved as a draft: the version scheduled for {when} KST is unchanged until your draft is published."
    ]
    draft = clip.revisions.get(pending=True)
    banner = editor.get(reverse("admin:news_newsclip_draft", args=[clip.pk])).content.decode()
    assert "The public sees the live version" not in banner and "goes live unless these changes" in banner
    compare = editor.get(reverse("admin:news_newsclip_compare", args=[clip.pk]) + f"?a=live&b={draft.pk}")
    assert "The scheduled version (what the public sees from" in compare.content.decode()
    workflow.discard_draft(clip, publisher.user)
