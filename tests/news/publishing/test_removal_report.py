"""The editor is told what sanitising removed from a body, whichever way the clip is saved:
in place (off the site), as a draft of a live or scheduled clip, submitted, published."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from tests.helpers import post_change

pytestmark = pytest.mark.django_db

PASTED = '<p onclick="steal()">Hello</p><script>x()</script>'
REPORT = (
    "Body: a script and event handlers (onclick) were removed: they are not allowed in news clip text. "
    "The rest was saved."
)


@pytest.mark.parametrize(
    ("status", "step", "who"),
    [
        ("draft", "save", "editor"),
        ("draft", "submit", "editor"),
        ("unpublished", "publish", "publisher"),
        ("published", "save", "editor"),
        ("published", "submit", "editor"),
        ("published", "publish", "publisher"),
        ("scheduled", "save", "editor"),
    ],
)
def test_the_editor_is_told_what_was_removed_on_every_path(request, make_clip, status, step, who):
    client = request.getfixturevalue(who)
    days = 2 if status == "scheduled" else -2
    clip = make_clip(status=status, publish_at=timezone.now() + datetime.timedelta(days=days))
    response = post_change(client, clip, step, body=PASTED)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    warnings = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [REPORT]
