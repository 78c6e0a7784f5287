"""Text cleaning, defined once in core.text and used by every model, form, feed and template."""

from django.template import Context, Template

from core.text import make_excerpt, plain_text, strip_control_characters


def test_plain_text_resolves_entities_parts_words_at_closing_tags_and_drops_control_characters():
    assert plain_text("<p>R&amp;D at caf&eacute;s</p><p>Next\x01word\x85here</p>") == "R&D at cafés Next word here"


def test_control_characters_are_one_set_wherever_text_is_cleaned():
    pasted = "a\x00b\x7fc\x9fd\ufffee\tf"
    assert strip_control_characters(pasted) == "abcde\tf"
    assert plain_text(pasted) == "a b c d e f"


def test_the_plain_text_filter_is_the_same_rule():
    rendered = Template("{% load plain_text %}{{ html|plain_text }}").render(Context({"html": "<p>R&amp;D</p>"}))
    assert rendered == "R&amp;D", "entities resolved once, then escaped once by the template"


def test_an_excerpt_holds_text_not_markup_entities():
    assert make_excerpt("<h2>Heading</h2><p>Tom &amp; Jerry &lt;3</p>") == "Tom & Jerry <3"
