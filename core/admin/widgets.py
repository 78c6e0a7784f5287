"""Related-item fields for the admin that answer any submitted id with a form error, never a 500.

Django checks an id by querying with it. An id that is not a number fails in the
autocomplete widget when an invalid form is shown again (it looks the raw value
up), and a number beyond the database's integer range fails inside SQLite and
PostgreSQL. Here an id must first be one the key field could hold.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


def _checked_key(key_field, value):
    """`value` as the key field reads it; ValidationError with code "invalid" or "out_of_range"."""
    if "\x00" in str(value):  # PostgreSQL refuses NUL in any text value
        raise ValidationError("NUL", code="invalid")
    key = key_field.to_python(value)  # raises code "invalid"
    try:
        key_field.run_validators(key)  # the range the database can hold
    except ValidationError:
        raise ValidationError("out of range", code="out_of_range") from None
    return key


def _is_valid_key(key_field, value):
    try:
        _checked_key(key_field, value)
    except ValidationError:
        return False
    return True


def _key_field(queryset, to_field_name):
    options = queryset.model._meta
    return options.get_field(to_field_name) if to_field_name else options.pk


class RelatedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        key_field = _key_field(self.queryset, self.to_field_name)
        for item in value:
            try:
                _checked_key(key_field, item)
            except ValidationError as error:
                if error.code == "out_of_range":
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    ) from None
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                ) from None
        return super()._check_values(value)


class _ValidKeysOnly:
    """Show again only the submitted ids that can be looked up; the form reports the others."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        options = remote.model._meta
        key_field = options.get_field(getattr(remote, "field_name", None) or options.pk.name)
        return super().optgroups(name, [item for item in value if _is_valid_key(key_field, item)], attr)


class SafeAutocompleteSelect(_ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidKeysOnly, AutocompleteSelectMultiple):
    pass


class RelatedFieldsAdminMixin:
    """For a ModelAdmin or inline: related-item fields use the field and widgets above.

    (A single foreign key needs only the widget: ModelChoiceField already turns a
    lookup that fails, out-of-range numbers included, into "Select a valid choice".)
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", RelatedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
