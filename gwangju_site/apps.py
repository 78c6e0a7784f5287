from django.apps import AppConfig


class GwangjuSiteConfig(AppConfig):
    name = "gwangju_site"
    verbose_name = "Gwangju site"
