"""`{% include_once %}`: markup that depends on no content, rendered once per process.

The header, the footer and the like are made of URL reversals, static file addresses and
settings, which do not change while a process runs; rendering them on every page cost about
as much as the rest of a list page's template. `{% include_once "includes/_footer.html"
KOREAN_SITE_URL=KOREAN_SITE_URL %}` renders the template with only the variables given, once
per distinct set of their values (and the script prefix); the variables are the whole input,
so a template that needs the request or content must not be included this way. At most
`LIMIT` variants of each template are kept (a variable taken from the URL, such as the
feedback form's page path, cannot grow the memory without end, nor crowd out the header's
few variants); past that a variant is rendered each time.
"""

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

register = template.Library()

LIMIT = 256
_rendered = {}


@register.simple_tag(takes_context=True)
def include_once(context, template_name, **variables):
    kept = _rendered.setdefault(template_name, {})
    key = (get_script_prefix(), *sorted(variables.items()))
    html = kept.get(key)
    if html is None:
        html = mark_safe(context.template.engine.get_template(template_name).render(template.Context(variables)))
        if len(kept) < LIMIT:
            kept[key] = html
    return html


@register.filter
def path_section(path):
    """The first segment of a path: "/news/some-clip/" → "/news/", "/" → "/"."""
    head, slash, _ = path[1:].partition("/")
    return f"/{head}{slash}"
