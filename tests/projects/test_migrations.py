"""The migration that made project bodies HTML carries its own copy of the conversion."""

import importlib

CONVERT = importlib.import_module("projects.migrations.0004_body_as_html").html_from_plain_text


def test_plain_text_from_before_the_editor_becomes_the_html_it_was_shown_as():
    text = "First paragraph of the city's plan.\n\nSecond & last,\nwith a line break <here>."
    assert CONVERT(text) == (
        "<p>First paragraph of the city's plan.</p>\n\n<p>Second &amp; last,<br>with a line break &lt;here&gt;.</p>"
    )
    assert CONVERT(CONVERT(text)) == CONVERT(text), "converting twice is safe"
    assert CONVERT("Pasted\x0bline\x01") == "<p>Pasted\nline</p>", "control characters go as the sanitiser took them"
