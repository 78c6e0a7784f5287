"""Form widgets for public pages, rendered in Python.

Django renders each widget, and each <option> of a <select>, through a template: on the
news list's filter form that was a third of the page's time. These produce the same
markup (Django's attrs rules: True → bare attribute, False → left out) from the same
context, without the template engine.
"""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class FastTextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        # Every part is escaped above.
        return mark_safe(
            f'<input type="{escape(widget["type"])}" name="{escape(name)}"{value}{_attrs(widget["attrs"])}>'
        )


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(name)}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            parts.extend(
                f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # every part is escaped above
