"""Each member of staff reads their own notices in the admin, and only theirs: the number unread in every
page's header, a list, marked read by selection or all at once."""

import pytest
from django.urls import reverse

from news.models import Notice

pytestmark = pytest.mark.django_db
LIST = "admin:news_notice_changelist"


@pytest.fixture
def told(editor, publisher, make_clip):
    clip = make_clip(title="Bus routes")
    mine = [
        Notice.objects.create(recipient=editor.user, clip=clip, kind=Notice.Kind.SENT_BACK, message=text)
        for text in ("pat sent “Bus routes” back to you with this comment:\n\n<b>Shorter</b>", "Approved “Bus routes”")
    ]
    theirs = Notice.objects.create(
        recipient=publisher.user, clip=clip, kind=Notice.Kind.SUBMITTED, message="Secret for pat"
    )
    return mine, theirs


def test_the_header_shows_how_many_notices_are_unread(editor, told):
    page = editor.get(reverse("admin:index")).content.decode()
    assert "Notices (2 unread)" in page
    assert f'href="{reverse(LIST)}?read=no"' in page


def test_a_user_lists_their_own_notices_and_nobody_elses(editor, told):
    page = editor.get(reverse(LIST)).content.decode()
    assert "Approved “Bus routes”" in page
    assert "&lt;b&gt;Shorter&lt;/b&gt;" in page and "<b>Shorter</b>" not in page, "the comment is text"
    assert "Secret for pat" not in page


def test_a_user_cannot_open_someone_elses_notice(editor, told):
    _mine, theirs = told
    response = editor.get(reverse("admin:news_notice_change", args=[theirs.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert b"Secret for pat" not in editor.get(response["Location"]).content


def test_marking_selected_notices_read_leaves_the_others_and_nobody_elses(editor, told):
    (first, second), theirs = told
    response = editor.post(
        reverse(LIST), {"action": "mark_read", "_selected_action": [str(first.pk), str(theirs.pk)]}, follow=True
    )
    assert "1 notice marked read." in response.content.decode()
    assert Notice.objects.unread().filter(pk__in=[second.pk, theirs.pk]).count() == 2
    assert "Notices (1 unread)" in editor.get(reverse("admin:index")).content.decode()


def test_mark_all_as_read_is_a_button_on_the_list_and_marks_only_ones_own(editor, told):
    _mine, theirs = told
    page = editor.get(reverse(LIST)).content.decode()
    assert f'action="{reverse("admin:news_notice_read_all")}"' in page
    assert editor.get(reverse("admin:news_notice_read_all")).status_code == 405, "no write on a GET"
    response = editor.post(reverse("admin:news_notice_read_all"), follow=True)
    assert "2 notices marked read." in response.content.decode()
    assert not Notice.objects.filter(recipient=editor.user).unread().exists()
    assert Notice.objects.unread().filter(pk=theirs.pk).exists()
    page = editor.get(reverse("admin:index")).content.decode()
    assert "Notices (" not in page and ">Notices</a>" in page


def test_someone_outside_the_staff_sees_no_notices(client, django_user_model, told):
    _mine, theirs = told
    theirs.recipient.is_staff = False
    theirs.recipient.save()
    client.force_login(theirs.recipient)
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
