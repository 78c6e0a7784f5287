from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from news.models import NewsClip
from policies.models import Objective
from projects.models import Project


class ClipSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return NewsClip.objects.published().only("slug", "updated").order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated


class ObjectiveSitemap(Sitemap):
    def items(self):
        return Objective.objects.only("number", "updated")

    def lastmod(self, item):
        return item.updated


class ProjectSitemap(Sitemap):
    def items(self):
        return Project.objects.only("slug", "updated")

    def lastmod(self, item):
        return item.updated


class PageSitemap(Sitemap):
    def items(self):
        return ["home", "news:list", "policies:index", "policies:achievements", "projects:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "news": ClipSitemap, "objectives": ObjectiveSitemap, "projects": ProjectSitemap}
