"""schema.org JSON-LD shared by every page: the city as an organisation, breadcrumbs.

Built with a JSON encoder, never by string concatenation, and made safe to put
inside a <script> element.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

CITY_NAME = "Gwangju Metropolitan City"

# As Django's json_script does: nothing in the JSON can close the <script> element.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script_json(data):
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))


def absolute(path):
    return settings.SITE_URL + path


def city():
    """The city, as publisher (and author) of everything on the site."""
    return {
        "@type": "GovernmentOrganization",
        "name": CITY_NAME,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": absolute(static("img/icon-512.png")), "width": 512, "height": 512},
    }


def author(item):
    """Who speaks in a piece of content (a news clip), as a schema.org organisation: the city (its department, once
    clips name one), never an editor's login. The feed and the PDF use its "name"."""
    return city()


def breadcrumb_list(crumbs):
    """A BreadcrumbList for `crumbs`, the (url or None, label) pairs the page shows after Home."""
    items = [("/", "Home"), *crumbs]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": str(label), **({"item": absolute(url)} if url else {})}
            for number, (url, label) in enumerate(items, start=1)
        ],
    }
