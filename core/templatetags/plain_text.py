from html import unescape

from django import template
from django.utils.html import strip_tags

register = template.Library()


@register.filter
def plain_text(html):
    """Rich text as plain words, for descriptions and teasers (autoescaping then escapes them once)."""
    return " ".join(unescape(strip_tags(str(html or "").replace("</", " </"))).split())
