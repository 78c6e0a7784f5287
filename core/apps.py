from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared layer under every content app: no content; two bookkeeping models
    (CountedRequest, core.counting; StaffPreference, core.i18n)."""

    name = "core"
    verbose_name = _("Core")
