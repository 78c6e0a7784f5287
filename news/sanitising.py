"""The clip body's HTML allow-list. Everything else an editor pastes is removed."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "a", "span",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "type"},
    "span": {"lang"},
    "blockquote": {"cite"},
}
# Only the classes our stylesheet gives meaning to.
ALLOWED_CLASSES = {"ul": {"lead-points"}, "p": {"reference", "section-heading"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_body(html):
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
