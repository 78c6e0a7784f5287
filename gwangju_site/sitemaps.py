from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.urls import reverse

from news.feeds import clips_state
from news.models import NewsClip
from policies.models import Objective
from projects.models import Project


class SiteUrlSitemap(Sitemap):
    """Locations on SITE_URL, whatever Host the request came with."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ClipSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return NewsClip.objects.published().only("slug", "updated").order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated


class ObjectiveSitemap(SiteUrlSitemap):
    def items(self):
        return Objective.objects.only("number", "updated")

    def lastmod(self, item):
        return item.updated


class ProjectSitemap(SiteUrlSitemap):
    def items(self):
        return Project.objects.only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class PageSitemap(SiteUrlSitemap):
    def items(self):
        return ["home", "news:list", "policies:index", "policies:achievements", "projects:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "news": ClipSitemap, "objectives": ObjectiveSitemap, "projects": ProjectSitemap}


def sitemap_state():
    """For `core.conditional`: the newest change to anything the sitemaps list, and how many there are."""
    newest, clips = clips_state()
    moments, counts = [newest] if newest else [], [clips]
    for model in (Objective, Project):
        facts = model.objects.aggregate(newest=Max("updated"), count=Count("pk"))
        if facts["newest"]:
            moments.append(facts["newest"])
        counts.append(facts["count"])
    return (max(moments) if moments else None), counts
