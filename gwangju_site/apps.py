from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GwangjuSiteConfig(AppConfig):
    name = "gwangju_site"
    verbose_name = _("Gwangju site")
