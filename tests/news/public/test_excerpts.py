"""A clip's excerpt on list pages is text: the body's entities resolved when it is made, escaped once when shown."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_list_card_shows_an_ampersand_once_escaped(client, make_clip):
    make_clip(title="Labs", body="<p>R&amp;D labs open in Gwangju.</p>")
    html = client.get(reverse("news:list")).content.decode()
    assert "R&amp;D labs open" in html
    assert "R&amp;amp;D" not in html
