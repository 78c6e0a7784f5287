"""Rich text written in the admin: one configuration for the editor's toolbar and the server's allow-list.

The editor (django-prose-editor: ProseMirror/Tiptap, JavaScript shipped in its wheel) is
configured from `EXTENSIONS`; the nh3 allow-list is derived from the same dict, so nothing
the toolbar can make is stripped on save and nothing else survives it.
"""

import re
from collections import Counter
from html.parser import HTMLParser

import nh3
from django import forms
from django.db import models
from django.urls import reverse_lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.widgets import AdminProseEditorWidget

from core.office_lists import lists_from_office_html
from core.text import strip_control_characters

# Block styles our stylesheet gives meaning to; the editor offers them in a "Block style" menu.
BLOCK_CLASSES = {
    "bulletList": [{"className": "lead-points", "title": "Lead points (bold summary list)"}],
    "paragraph": [{"className": "reference", "title": "Reference note (italic)"}],
}
_CLASS_TAGS = {"bulletList": "ul", "paragraph": "p"}

EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    # The editor writes the rel the sanitiser enforces, so a saved link comes back unchanged.
    "Link": {
        "enableTarget": False,
        "protocols": ["http", "https", "mailto", "tel"],
        "HTMLAttributes": {"rel": "noopener noreferrer", "target": None},
    },
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "NodeClass": {"cssClasses": BLOCK_CLASSES},
    # The HTML source view, for experts.
    "HTML": True,
}

# The <style> element Tiptap (inside django-prose-editor's editor.js) injects; it changes with the
# pinned package version, and the browser tests fail on any CSP violation when the editor loads.
EDITOR_BASE_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def _allow_list():
    allowed = allowlist_from_extensions(EXTENSIONS)
    attributes = {tag: set(names) for tag, names in allowed["attributes"].items()}
    # NodeClass would allow any class on these tags: narrow it to the classes offered.
    for tag in _CLASS_TAGS.values():
        attributes.get(tag, set()).discard("class")
    # Every link gets the same rel, whatever was pasted (nh3 sets it; it must not be an allowed attribute).
    attributes["a"].discard("rel")
    return {
        "tags": set(allowed["tags"]),
        "attributes": {tag: names for tag, names in attributes.items() if names},
        "allowed_classes": {
            _CLASS_TAGS[node]: {choice["className"] for choice in choices} for node, choices in BLOCK_CLASSES.items()
        },
        "url_schemes": set(allowed["url_schemes"]),
        "link_rel": "noopener noreferrer",
    }


ALLOW_LIST = _allow_list()
_cleaner = nh3.Cleaner(**ALLOW_LIST, strip_comments=True)

# ProseMirror always keeps one paragraph: an editor that was left empty sends "<p></p>".
_EMPTY = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


# nh3 keeps the attribute when it drops every class in it (Word's "MsoNormal").
_EMPTY_CLASS = re.compile(r' class=""(?=[ >])')


# Bounds on rich text an editor may send, checked before anything parses it: 20,000 nested
# lists (360 KB) took 37 s to sanitise and the page PDF of such a clip never finished.
# A long press release is ~50 KB of HTML and nests 3-5 deep (a table in a list in a quote);
# the bounds leave twenty times that room.
MAX_HTML_CHARACTERS = 1_000_000
MAX_NESTING = 100
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements that an opening tag of the same name closes (<li>a<li>b): not deeper nesting.
_SELF_CLOSING_SIBLINGS = {"p", "li", "dt", "dd", "tr", "td", "th", "option"}


def nesting_depth(html, stop_at=None):
    """How deep the elements of `html` nest, by one linear scan of its tags (no parser, no tree);
    counting stops past `stop_at`."""
    open_tags, deepest = [], 0
    for match in _TAG.finditer(html or ""):
        closing, name, self_closed = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name in open_tags:
                while open_tags.pop() != name:
                    pass
            continue
        if name in _VOID or self_closed:
            continue
        if name in _SELF_CLOSING_SIBLINGS and open_tags and open_tags[-1] == name:
            open_tags.pop()
        open_tags.append(name)
        deepest = max(deepest, len(open_tags))
        if stop_at is not None and deepest > stop_at:
            break
    return deepest


def check_bounds(html):
    """A form error for rich text too large or too deeply nested to be worth parsing."""
    if len(html) > MAX_HTML_CHARACTERS:
        raise forms.ValidationError(
            _(
                "This text is too long to save (%(length)s characters of HTML; at most %(limit)s). "
                "Split it, or attach the full document as a file."
            )
            % {"length": f"{len(html):,}", "limit": f"{MAX_HTML_CHARACTERS:,}"},
            code="too_long",
        )
    if nesting_depth(html, stop_at=MAX_NESTING) > MAX_NESTING:
        raise forms.ValidationError(
            _(
                "This text nests lists, quotes or tables more than %(limit)s levels deep, which no page "
                "needs and which pasting sometimes produces by mistake. Flatten it (or paste it as plain text) "
                "and save again."
            )
            % {"limit": MAX_NESTING},
            code="too_deep",
        )


def sanitise(html):
    """The stored form of any rich text: only what the editor's toolbar can make (lists pasted from
    Word or Hancom Office made real lists first)."""
    html = lists_from_office_html(strip_control_characters(html or ""))
    cleaned = _EMPTY_CLASS.sub("", _cleaner.clean(html))
    return "" if _EMPTY.match(cleaned) else cleaned


# Plain words for what an editor may have pasted; anything else is named by its tag.
_ELEMENT_NAMES = {
    "script": gettext_lazy("a script"),
    "iframe": gettext_lazy("an embedded video or page (iframe)"),
    "embed": gettext_lazy("an embedded object (embed)"),
    "object": gettext_lazy("an embedded object (object)"),
    "style": gettext_lazy("a style sheet"),
    "img": gettext_lazy("an image (add photos as photos of the clip)"),
    "form": gettext_lazy("a form"),
    "input": gettext_lazy("a form field"),
    "video": gettext_lazy("a video"),
    "audio": gettext_lazy("an audio player"),
    "svg": gettext_lazy("a drawing (svg)"),
    "font": gettext_lazy("font settings (font)"),
    "meta": gettext_lazy("page settings (meta)"),
    "link": gettext_lazy("a linked style sheet"),
}
# Formatting the editor rebuilds on its own or carries nothing worth naming.
_SILENT = {"html", "head", "body", "div", "span", "tbody", "o:p", "title"}


class _Inventory(HTMLParser):
    """Counts the elements and attributes in a fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = Counter()
        self.attributes = Counter()
        self.links = 0

    def handle_starttag(self, tag, attrs):
        self.elements[tag] += 1
        for name, value in attrs:
            self.attributes[name] += 1
            if tag == "a" and name == "href" and value:
                self.links += 1


def _inventory(html):
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser


def removed_markup(submitted, cleaned):
    """What sanitising took away, in words an editor understands (empty when nothing that matters went)."""
    before, after = _inventory(submitted or ""), _inventory(cleaned or "")
    removed = []
    for tag in before.elements:
        if tag in ALLOW_LIST["tags"] or tag in _SILENT or before.elements[tag] <= after.elements[tag]:
            continue
        if tag in _ELEMENT_NAMES:
            removed.append(_ELEMENT_NAMES[tag])
        elif ":" in tag:
            if _("Word's own markup") not in removed:
                removed.append(_("Word's own markup"))
        else:
            removed.append(_("<%(tag)s> elements") % {"tag": tag})
    if before.attributes["style"] > after.attributes["style"]:
        removed.append(_("inline styles (style)"))
    handlers = sorted(name for name in before.attributes if name.startswith("on"))
    if handlers:
        removed.append(_("event handlers (%(names)s)") % {"names": ", ".join(handlers)})
    if before.links > after.links:
        removed.append(_("unsafe link addresses (only web, e-mail and phone links are kept)"))
    return removed


def removal_message(field_label, removed, where):
    return ngettext(
        "%(field)s: %(items)s was removed: it is not allowed in %(where)s. The rest was saved.",
        "%(field)s: %(items)s were removed: they are not allowed in %(where)s. The rest was saved.",
        len(removed),
    ) % {"field": field_label, "items": get_text_list([str(item) for item in removed], _("and")), "where": where}


class RichTextFormField(forms.CharField):
    """Cleans what the editor sends and remembers what had to go, for the admin to tell the editor."""

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = AdminProseEditorWidget(
            config={"extensions": EXTENSIONS},
            preset="configurable",
            # static/admin-overrides/office-paste.js sends Word's and Hancom's clipboard HTML there.
            attrs={"data-office-paste-url": reverse_lazy("rich_text_paste")},
        )
        super().__init__(*args, **kwargs)
        self.removed = []

    def to_python(self, value):
        # Before Django's validators, which would refuse a NUL from a paste instead of cleaning it.
        return strip_control_characters(super().to_python(value))

    def clean(self, value):
        value = super().clean(value)
        check_bounds(value)  # before the sanitiser, whose time grows with the nesting
        cleaned = sanitise(value)
        self.removed = removed_markup(value, cleaned)
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class RichTextField(models.TextField):
    """HTML from the rich-text editor, sanitised with `ALLOW_LIST` on every save."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def pre_save(self, model_instance, add):
        value = sanitise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        # Stored as plain text: migrations need not know about the editor.
        return name, "django.db.models.TextField", args, kwargs
