"""Submitting, sending back, approving and publishing tell the people concerned, in the admin and by
e-mail through a real SMTP server on 127.0.0.1; a mail server that is gone never undoes the step."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from news.models import NewsClip, Notice
from news.publishing import notifications, workflow
from tests.helpers import post_change

pytestmark = pytest.mark.django_db
Kind = Notice.Kind
SITE = "https://news.example.org"  # SITE_URL in gwangju_site/test_settings.py


@pytest.fixture
def newsroom(editor, publisher, django_user_model):
    """The editor and publisher clients with e-mail addresses, a second publisher without one, and
    people who are never told: an inactive publisher and a superuser outside the Publishers group."""
    for client, address in ((editor, "eddie@example.org"), (publisher, "pat@example.org")):
        client.user.email = address
        client.user.save()
    publishers = Group.objects.get(name="Publishers")
    no_mail = django_user_model.objects.create_user("pia", is_staff=True)
    no_mail.groups.add(publishers)
    gone = django_user_model.objects.create_user("olga", email="olga@example.org", is_staff=True, is_active=False)
    gone.groups.add(publishers)
    django_user_model.objects.create_superuser("root", email="root@example.org", password="pw-root-123")
    return editor, publisher, no_mail


def clip_link(clip):
    return SITE + reverse("admin:news_newsclip_change", args=[clip.pk])


def subject_of(message):
    # Django folds an encoded subject onto a continuation line; the parser keeps the fold's space.
    return str(message["Subject"]).strip()


def body_of(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # as sent on the wire


def review(client, clip, **data):
    return client.post(reverse("admin:news_newsclip_review", args=[clip.pk]), data)


def notices(user, kind=None):
    found = Notice.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def submitted_by(editor, *, title="Bus routes for the games", **fields):
    clip = NewsClip.objects.create(
        title=title,
        slug=f"clip-{NewsClip.objects.count() + 1}",
        body="<p>Text.</p>",
        status=NewsClip.Status.DRAFT,
        publish_at=timezone.now() - timedelta(hours=1),
        created_by=editor.user,
        **fields,
    )
    workflow.saved(clip, editor.user, submitted=True)
    return clip


# --- submit ---------------------------------------------------------------------------------------


def test_submitting_tells_every_publisher_by_mail_and_notice_and_not_the_submitter(
    newsroom, smtp_server, django_capture_on_commit_callbacks
):
    editor, publisher, no_mail = newsroom
    clip = NewsClip.objects.create(
        title="Bus routes for the games", slug="bus-routes", body="<p>Text.</p>", status=NewsClip.Status.DRAFT,
        publish_at=timezone.now(), created_by=editor.user,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(editor, clip, "submit").status_code == 302

    assert smtp_server.recipients() == ["pat@example.org"], "publishers with an address; not the submitter"
    [mail] = smtp_server.to("pat@example.org")
    assert subject_of(mail) == "Review requested: “Bus routes for the games”"
    assert "eddie submitted “Bus routes for the games” for review." in body_of(mail)
    assert clip_link(clip) in body_of(mail), "the absolute address of the clip in the admin"
    assert [n.clip for n in notices(publisher.user, Kind.SUBMITTED)] == [clip]
    assert len(notices(no_mail, Kind.SUBMITTED)) == 1, "no e-mail address: the notice alone"
    assert notices(editor.user) == [], "nobody is told of their own step"
    assert Notice.objects.count() == 2, "not the inactive publisher, not the superuser outside the group"


def test_submitting_a_draft_of_a_live_clip_names_the_drafts_title(
    newsroom, make_clip, smtp_server, django_capture_on_commit_callbacks
):
    editor, _publisher, _no_mail = newsroom
    clip = make_clip(title="Old title", created_by=editor.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(editor, clip, "submit", title="New title").status_code == 302
    [mail] = smtp_server.to("pat@example.org")
    assert "“New title”" in subject_of(mail)


def test_a_publisher_who_submits_is_not_told_but_the_other_publishers_are(
    newsroom, smtp_server, django_capture_on_commit_callbacks
):
    _editor, publisher, no_mail = newsroom
    with django_capture_on_commit_callbacks(execute=True):
        submitted_by(publisher)
    assert smtp_server.received == []
    assert notices(publisher.user) == [] and len(notices(no_mail)) == 1


# --- send back, approve, publish --------------------------------------------------------------------


def test_sending_back_tells_the_author_with_the_reviewers_comment(
    newsroom, smtp_server, django_capture_on_commit_callbacks
):
    editor, publisher, _no_mail = newsroom
    clip = submitted_by(editor)
    with django_capture_on_commit_callbacks(execute=True):
        review(publisher, clip, decision="send_back", comment="Shorter title, please.\nAnd a photo.")

    assert smtp_server.recipients() == ["eddie@example.org"]
    [mail] = smtp_server.to("eddie@example.org")
    assert subject_of(mail) == "Sent back to you: “Bus routes for the games”"
    text = body_of(mail)
    assert "pat sent “Bus routes for the games” back to you with this comment:" in text
    assert "Shorter title, please.\nAnd a photo." in text and clip_link(clip) in text
    [notice] = notices(editor.user, Kind.SENT_BACK)
    assert "Shorter title, please." in notice.message and notice.clip == clip
    assert notices(publisher.user, Kind.SENT_BACK) == []


def test_approving_from_the_queue_tells_the_author_it_is_live_with_the_comment(
    newsroom, smtp_server, django_capture_on_commit_callbacks
):
    editor, publisher, _no_mail = newsroom
    clip = submitted_by(editor)
    with django_capture_on_commit_callbacks(execute=True):
        review(publisher, clip, decision="approve", comment="Good work.")

    [mail] = smtp_server.to("eddie@example.org")
    assert subject_of(mail) == "Approved: “Bus routes for the games”"
    text = body_of(mail)
    assert "pat approved “Bus routes for the games”. It is on the site now." in text
    assert "Good work." in text and clip_link(clip) in text
    assert len(notices(editor.user, Kind.APPROVED)) == 1
    assert notices(editor.user, Kind.PUBLISHED) == [], "one notice for one step"


def test_approving_for_a_time_tells_the_author_when_it_goes_live(
    newsroom, smtp_server, django_capture_on_commit_callbacks
):
    editor, publisher, _no_mail = newsroom
    clip = submitted_by(editor)
    at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        review(publisher, clip, decision="approve_at", publish_at=f"{timezone.localtime(at):%Y-%m-%dT%H:%M}")
    [mail] = smtp_server.to("eddie@example.org")
    assert f"It goes live on {timezone.localtime(at):%Y-%m-%d %H:%M} KST." in body_of(mail)


def test_publishing_without_review_tells_the_author(
    newsroom, make_clip, smtp_server, django_capture_on_commit_callbacks
):
    editor, publisher, _no_mail = newsroom
    clip = make_clip(status=NewsClip.Status.DRAFT, created_by=editor.user, title="Night market")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(publisher, clip, "publish").status_code == 302

    [mail] = smtp_server.to("eddie@example.org")
    assert subject_of(mail) == "Published: “Night market”"
    assert "pat published “Night market”. It is on the site now." in body_of(mail)
    assert smtp_server.recipients() == ["eddie@example.org"]


def test_the_scheduler_putting_a_clip_live_tells_the_author(
    newsroom, make_clip, smtp_server, django_capture_on_commit_callbacks, monkeypatch
):
    editor, publisher, _no_mail = newsroom
    clip = make_clip(status=NewsClip.Status.DRAFT, created_by=editor.user, title="Night market")
    at = timezone.now() + timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(clip, publisher.user, at)
    assert smtp_server.received == [] and notices(editor.user) == [], "scheduled without review: told when live"

    later = at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")  # what run_scheduler runs every 30 s

    [mail] = smtp_server.to("eddie@example.org")
    assert subject_of(mail) == "Published: “Night market”"
    assert f"“Night market” went live as scheduled, at {timezone.localtime(at):%Y-%m-%d %H:%M} KST." in body_of(mail)
    assert clip_link(clip) in body_of(mail)
    [notice] = notices(editor.user, Kind.PUBLISHED)
    assert notice.clip == clip


def test_the_last_submitter_is_told_beside_the_creator(
    newsroom, make_clip, smtp_server, django_capture_on_commit_callbacks, django_user_model
):
    editor, publisher, _no_mail = newsroom
    writer = django_user_model.objects.create_user("wanda", email="wanda@example.org", is_staff=True)
    clip = make_clip(created_by=writer)
    workflow.save_draft(clip, editor.user, workflow.snapshot(clip), action=workflow.Action.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        review(publisher, clip, decision="send_back", comment="Check the date.")
    assert smtp_server.recipients() == ["eddie@example.org", "wanda@example.org"]


def test_an_author_who_left_the_staff_is_told_nothing(newsroom, smtp_server, django_capture_on_commit_callbacks):
    editor, publisher, _no_mail = newsroom
    clip = submitted_by(editor)
    editor.user.is_staff = False
    editor.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        review(publisher, clip, decision="send_back", comment="Check the date.")
    assert smtp_server.received == [] and notices(editor.user) == []


# --- languages and failures -------------------------------------------------------------------------


def test_each_recipient_is_written_to_in_their_own_language(newsroom, monkeypatch):
    editor, publisher, no_mail = newsroom
    chosen = {publisher.user.pk: "ko", no_mail.pk: "en"}
    monkeypatch.setattr(notifications, "staff_language", lambda user: chosen[user.pk])
    written_in = {}
    words = notifications.words

    def spy(kind, **values):
        written_in[kind, translation.get_language()] = True
        return words(kind, **values)

    monkeypatch.setattr(notifications, "words", spy)
    submitted_by(editor)
    assert set(written_in) == {(Kind.SUBMITTED, "ko"), (Kind.SUBMITTED, "en")}


def test_a_mail_server_that_refuses_never_fails_the_step(
    newsroom, smtp_refusing, django_capture_on_commit_callbacks, caplog
):
    editor, publisher, _no_mail = newsroom
    clip = NewsClip.objects.create(
        title="Bus routes", slug="bus-routes", body="<p>Text.</p>", status=NewsClip.Status.DRAFT,
        publish_at=timezone.now(), created_by=editor.user,
    )  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="news.publishing.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_change(editor, clip, "submit")
    assert response.status_code == 302
    clip.refresh_from_db()
    assert clip.review == NewsClip.Review.REQUESTED, "the submission stands"
    assert len(notices(publisher.user, Kind.SUBMITTED)) == 1, "the notice is stored"
    [record] = [r for r in caplog.records if r.name == "news.publishing.notifications"]
    assert "could not be reached" in record.getMessage() and record.exc_info is not None


def test_the_bulk_publish_tells_each_author(newsroom, make_clip, smtp_server, django_capture_on_commit_callbacks):
    editor, publisher, no_mail = newsroom
    clips = [
        make_clip(status=NewsClip.Status.DRAFT, created_by=author, title=f"Clip of {author}")
        for author in (editor.user, no_mail)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        publisher.post(
            reverse("admin:news_newsclip_changelist"),
            {"action": "publish", "_selected_action": [str(c.pk) for c in clips]},
        )
    assert smtp_server.recipients() == ["eddie@example.org"], "pia has no e-mail address"
    assert [n.clip for n in notices(no_mail, Kind.PUBLISHED)] == [clips[1]]
