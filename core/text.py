"""Text as editors paste it, made fit to store and to send as HTML, XML, JSON and PDF."""

import re

from django.db import models

# Word's Shift+Enter pastes a vertical tab; page breaks come as form feeds. They
# meant a line break: one in multi-line text, a space in a one-line field.
_LINE_BREAKS = re.compile("[\x0b\x0c\x85]")
# C0 controls but tab, newline and carriage return; DEL; C1 controls; and the two
# noncharacters XML 1.0 forbids. An RSS feed with one of these cannot be written.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(text, *, multiline=True):
    """`text` without control characters; line-breaking ones become "\\n" (or " " if not `multiline`)."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n" if multiline else " ", text))


def strip_control_characters_from_fields(instance):
    """Clean every text field of a model instance in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                multiline = isinstance(field, models.TextField)
                setattr(instance, field.attname, strip_control_characters(value, multiline=multiline))


class ControlCharacterFreeMixin:
    """For content models: no text field keeps a control character.

    Cleaned before validation, so the admin form checks (and shows) the clean
    value, and again on every save, whatever code saves.
    """

    def clean_fields(self, exclude=None):
        strip_control_characters_from_fields(self)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        strip_control_characters_from_fields(self)
        super().save(*args, **kwargs)
