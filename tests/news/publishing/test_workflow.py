"""The publishing model: every state, every transition, expiry, and the scheduler on a controlled clock."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.page_cache import generation
from news.models import ClipRevision, NewsClip
from news.publishing import workflow

pytestmark = pytest.mark.django_db
Status = NewsClip.Status
Action = ClipRevision.Action


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand; the code under test reads it through timezone.now."""
    state = {"now": timezone.now().replace(microsecond=0)}

    def now():
        return state["now"]

    def advance(**delta):
        state["now"] += timedelta(**delta)
        return state["now"]

    monkeypatch.setattr(timezone, "now", now)
    advance.now = now
    return advance


def public(clip):
    return NewsClip.objects.published().filter(pk=clip.pk).exists()


def test_a_new_clip_is_a_draft_and_private(make_clip):
    clip = make_clip(status=Status.DRAFT)
    assert clip.state() == Status.DRAFT and not public(clip)


def test_publish_now_puts_a_draft_live_and_records_who(make_clip, admin_user):
    clip = make_clip(status=Status.DRAFT, publish_at=timezone.now() + timedelta(days=3))
    workflow.publish(clip, admin_user)
    clip.refresh_from_db()
    assert clip.state() == Status.PUBLISHED and public(clip)
    assert clip.publish_at <= timezone.now(), "publish now does not wait for a future date"
    revision = clip.revisions.get()
    assert (revision.action, revision.user) == (Action.PUBLISHED, admin_user)


def test_publish_keeps_a_backdated_article_date(make_clip, admin_user):
    old = timezone.now() - timedelta(days=400)
    clip = make_clip(status=Status.DRAFT, publish_at=old)
    workflow.publish(clip, admin_user)
    clip.refresh_from_db()
    assert clip.publish_at == old


def test_scheduled_clip_goes_live_at_its_minute_and_the_scheduler_records_it(make_clip, admin_user, clock):
    clip = make_clip(status=Status.DRAFT)
    at = clock.now() + timedelta(minutes=30)
    workflow.schedule(clip, admin_user, at)
    clip.refresh_from_db()
    assert clip.status == Status.SCHEDULED and not public(clip)
    assert workflow.run_schedule() == (0, 0)
    clock(minutes=29, seconds=59)
    assert not public(clip)
    clock(seconds=1)
    assert public(clip), "the public rule follows the clock, whether or not the scheduler ran"
    before = generation()
    assert workflow.run_schedule() == (1, 0)
    clip.refresh_from_db()
    assert clip.status == Status.PUBLISHED and clip.revisions.first().action == Action.WENT_LIVE
    assert generation() != before, "cached pages are dropped"
    assert workflow.run_schedule() == (0, 0), "running again changes nothing"


def test_expiry_takes_a_clip_off_every_list(client, make_clip, clock):
    clip = make_clip(title="Expiring notice", expires_at=clock.now() + timedelta(hours=1))
    assert "Expiring notice" in client.get(reverse("news:list")).content.decode()
    clock(hours=1)
    assert not public(clip)
    assert workflow.run_schedule() == (0, 1)
    clip.refresh_from_db()
    assert clip.status == Status.UNPUBLISHED and clip.revisions.first().action == Action.EXPIRED
    for url in (reverse("news:list"), reverse("home"), reverse("news:feed"), reverse("sitemap")):
        assert (
            "Expiring notice" not in client.get(url).content.decode()
            and clip.slug not in client.get(url).content.decode()
        )
    assert client.get(clip.get_absolute_url()).status_code == 404


def test_the_cached_list_follows_a_schedule_within_a_run(client, make_clip, admin_user, clock):
    make_clip(title="Already out")
    clip = make_clip(title="Embargoed", status=Status.DRAFT)
    workflow.schedule(clip, admin_user, clock.now() + timedelta(minutes=5))
    assert "Embargoed" not in client.get(reverse("news:list")).content.decode()  # now cached
    clock(minutes=5)
    call_command("publish_scheduled", stdout=io.StringIO())
    assert "Embargoed" in client.get(reverse("news:list")).content.decode()


def test_command_reports_what_it_did(make_clip, clock):
    make_clip(status=Status.SCHEDULED, publish_at=clock.now() + timedelta(minutes=1))
    clock(minutes=2)
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    assert out.getvalue().strip() == "1 clip(s) went live, 0 clip(s) expired."


def test_unpublish_takes_a_live_clip_down(make_clip, admin_user):
    clip = make_clip()
    workflow.unpublish(clip, admin_user)
    clip.refresh_from_db()
    assert clip.state() == Status.UNPUBLISHED and not public(clip)


def test_unpublish_of_a_draft_is_refused(make_clip, admin_user):
    with pytest.raises(workflow.WorkflowError):
        workflow.unpublish(make_clip(status=Status.DRAFT), admin_user)


def test_republish_after_unpublish(make_clip, admin_user):
    clip = make_clip()
    workflow.unpublish(clip, admin_user)
    workflow.publish(clip, admin_user)
    assert public(clip)


def test_scheduling_a_live_clip_needs_confirmation(make_clip, admin_user):
    clip = make_clip()
    later = timezone.now() + timedelta(days=1)
    with pytest.raises(workflow.NeedsConfirmation, match="takes it off the site until then"):
        workflow.schedule(clip, admin_user, later)
    assert public(clip)
    workflow.schedule(clip, admin_user, later, confirm_takedown=True)
    assert not public(clip)


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(minutes=-1)])
def test_a_schedule_in_the_past_is_refused(make_clip, admin_user, delta):
    with pytest.raises(workflow.WorkflowError, match="future"):
        workflow.schedule(make_clip(status=Status.DRAFT), admin_user, timezone.now() + delta)


def test_publishing_after_the_expiry_is_refused(make_clip, admin_user):
    clip = make_clip(status=Status.DRAFT, expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(workflow.WorkflowError, match="expiry"):
        workflow.publish(clip, admin_user)
    assert not public(clip)


def test_expiry_before_publish_date_is_a_form_error(publisher, make_clip):
    from tests.helpers import post_change

    clip = make_clip(status=Status.DRAFT)
    response = post_change(publisher, clip, expires_at=clip.publish_at - timedelta(days=1))
    assert response.status_code == 200
    assert "The expiry must be later than the publish date." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "label"),
    [
        ({"status": Status.DRAFT}, "Draft"),
        ({"publish_at": timezone.now() + timedelta(days=30)}, "Scheduled"),
        ({}, "Published"),
        ({"status": Status.UNPUBLISHED}, "Unpublished"),
    ],
)
def test_changelist_shows_the_state_and_filters_by_it(admin_client, make_clip, overrides, label):
    clip = make_clip(title="Filtered clip", **overrides)
    url = reverse("admin:news_newsclip_changelist")
    html = admin_client.get(url).content.decode()
    # The label; the time is in the list's publish date column beside it.
    assert f'clip-state-{clip.state()}">{label}</span>' in html
    for state in Status:
        listed = "Filtered clip" in admin_client.get(url, {"state": state}).content.decode()
        assert listed == (state == clip.state())


def test_publishing_keeps_views_counted_meanwhile(make_clip, admin_user):
    clip = make_clip(status=NewsClip.Status.DRAFT)
    stale = NewsClip.objects.get(pk=clip.pk)
    NewsClip.objects.filter(pk=clip.pk).update(view_count=7)
    workflow.publish(stale, admin_user)
    clip.refresh_from_db()
    assert clip.view_count == 7


def test_the_history_records_the_publication_time_not_the_time_the_scheduler_ran(make_clip, admin_user, clock):
    clip = make_clip(status=Status.DRAFT, expires_at=clock.now() + timedelta(hours=2))
    at = clock.now() + timedelta(minutes=30)
    workflow.schedule(clip, admin_user, at)
    clock(minutes=47)  # the scheduler was down for a while
    assert workflow.run_schedule() == (1, 0)
    went_live = clip.revisions.filter(action=Action.WENT_LIVE).get()
    assert went_live.created == at
    clock(hours=3)
    assert workflow.run_schedule() == (0, 1)
    assert clip.revisions.filter(action=Action.EXPIRED).get().created == clip.expires_at


def test_the_scheduler_loop_runs_both_commands_and_leaves_a_heartbeat(make_clip, clock, settings, tmp_path):
    settings.SCHEDULER_HEARTBEAT_FILE = tmp_path / "scheduler-last-run"
    clip = make_clip(status=Status.SCHEDULED, publish_at=clock.now() + timedelta(minutes=1))
    clock(minutes=2)
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    clip.refresh_from_db()
    assert clip.status == Status.PUBLISHED
    assert settings.SCHEDULER_HEARTBEAT_FILE.exists()
