from django import template

from core import text

register = template.Library()


@register.filter
def plain_text(html):
    """Rich text as plain words, for descriptions and teasers (autoescaping then escapes them once)."""
    return text.plain_text(str(html or ""))
