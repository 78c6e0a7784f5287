"""Two editors save the same version of a clip at the same moment: one save wins, the other is told
(two real requests on two PostgreSQL connections)."""

import sys
import threading
import time

import pytest
from django.db import connection

from news.models import NewsClip
from news.publishing import workflow
from tests.helpers import change_url, form_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]

# Only a safety net against a hang if the code under test changes shape; the outcome never
# depends on it (both requests are held at a fixed point, not for a time).
GIVE_UP_AFTER = 30


def someone_waits_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def hold_the_first_check(monkeypatch):
    """The first request to read the lock token in the form's check waits there until the
    second has read it too, or is waiting for the first's row lock: the moment two saves collide."""
    real = workflow.lock_token
    readers = []
    guard = threading.Lock()

    def lock_token(clip):
        token = real(clip)
        if sys._getframe(1).f_code.co_name != "clean":  # the form's initial value, not the check
            return token
        with guard:
            readers.append(threading.current_thread().name)
            first = len(readers) == 1
        give_up = time.monotonic() + GIVE_UP_AFTER
        while first and len(readers) < 2 and not someone_waits_for_a_lock() and time.monotonic() < give_up:
            time.sleep(0.01)
        return token

    monkeypatch.setattr(workflow, "lock_token", lock_token)


def test_two_saves_of_the_same_version_one_wins_and_the_other_is_told(editor, publisher, make_clip, monkeypatch):
    clip = make_clip(title="Original title")
    posts = {
        "eddie": (editor, form_data(editor, clip, title="Eddie's title")),
        "pat": (publisher, form_data(publisher, clip, title="Pat's title")),
    }
    hold_the_first_check(monkeypatch)
    start = threading.Barrier(len(posts))
    responses = {}

    def save(name):
        client, data = posts[name]
        try:
            start.wait()
            responses[name] = client.post(change_url(clip), {**data, "_workflow": "save"})
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[name], name=name) for name in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [200, 302], "both saves won: the first one's work is gone without a word"
    winner = next(name for name, response in responses.items() if response.status_code == 302)
    loser = responses["pat" if winner == "eddie" else "eddie"]
    assert "This clip was changed by" in loser.content.decode()
    assert "your changes were not saved" in loser.content.decode()
    draft = NewsClip.objects.get(pk=clip.pk).revisions.get(pending=True)
    assert draft.data["title"] == ("Eddie's title" if winner == "eddie" else "Pat's title")
    assert NewsClip.objects.get(pk=clip.pk).title == "Original title"
