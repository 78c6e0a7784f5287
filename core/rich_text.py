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
from django.utils.html import linebreaks
from django.utils.text import get_text_list
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.widgets import AdminProseEditorWidget

from .text import strip_control_characters

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


def sanitise(html):
    """The stored form of any rich text: only what the editor's toolbar can make."""
    cleaned = _EMPTY_CLASS.sub("", _cleaner.clean(strip_control_characters(html or "")))
    return "" if _EMPTY.match(cleaned) else cleaned


def html_from_plain_text(text):
    """Text written before the editor (blank lines between paragraphs) as the HTML it was shown as."""
    if not text or text.lstrip().startswith("<"):
        return text
    return sanitise(linebreaks(text, autoescape=True))


# Plain words for what an editor may have pasted; anything else is named by its tag.
_ELEMENT_NAMES = {
    "script": "a script",
    "iframe": "an embedded video or page (iframe)",
    "embed": "an embedded object (embed)",
    "object": "an embedded object (object)",
    "style": "a style sheet",
    "img": "an image (add photos as photos of the clip)",
    "form": "a form",
    "input": "a form field",
    "video": "a video",
    "audio": "an audio player",
    "svg": "a drawing (svg)",
    "font": "font settings (font)",
    "meta": "page settings (meta)",
    "link": "a linked style sheet",
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
            if "Word's own markup" not in removed:
                removed.append("Word's own markup")
        else:
            removed.append(f"<{tag}> elements")
    if before.attributes["style"] > after.attributes["style"]:
        removed.append("inline styles (style)")
    handlers = sorted(name for name in before.attributes if name.startswith("on"))
    if handlers:
        removed.append(f"event handlers ({', '.join(handlers)})")
    if before.links > after.links:
        removed.append("unsafe link addresses (only web, e-mail and phone links are kept)")
    return removed


def removal_message(field_label, removed, where):
    return (
        f"{field_label}: {get_text_list(removed, 'and')} {'was' if len(removed) == 1 else 'were'} removed: "
        f"{'it is' if len(removed) == 1 else 'they are'} not allowed in {where}. The rest was saved."
    )


class RichTextFormField(forms.CharField):
    """Cleans what the editor sends and remembers what had to go, for the admin to tell the editor."""

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = AdminProseEditorWidget(config={"extensions": EXTENSIONS}, preset="configurable")
        super().__init__(*args, **kwargs)
        self.removed = []

    def to_python(self, value):
        # Before Django's validators, which would refuse a NUL from a paste instead of cleaning it.
        return strip_control_characters(super().to_python(value))

    def clean(self, value):
        value = super().clean(value)
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
