import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.search import clean_query, parse_query
from news.models import NewsClip
from news.search import search_clips
from policies.models import Achievement, Objective
from projects.models import Project

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            latest_clips=NewsClip.objects.published().cards()[:6],
            objectives=Objective.objects.only("number", "title"),
            featured_projects=Project.objects.featured().only("slug", "name", "summary", "status")[:6],
        )
        return context


class SearchView(TemplateView):
    """One search over clips, achievements, objectives and projects, grouped by type."""

    template_name = "search.html"
    per_group = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET.get("q"))
        parsed = parse_query(query)
        context.update(query=query, breadcrumbs=[(None, "Search")], groups=[], nothing_to_search=query and not parsed)
        if not parsed:
            return context
        groups = [
            ("News clips", list(search_clips(NewsClip.objects.published().cards(), parsed)[: self.per_group])),
            (
                "Major achievements",
                list(
                    Achievement.objects.filter(parsed.as_q(["title", "summary"])).only("number", "title", "summary")[
                        : self.per_group
                    ]
                ),
            ),
            ("Key policy objectives", list(Objective.objects.filter(parsed.as_q(["title", "body"]))[: self.per_group])),
            (
                "Projects",
                list(
                    Project.objects.filter(parsed.as_q(["name", "summary", "body"])).only(
                        "slug", "name", "summary", "status"
                    )[: self.per_group]
                ),
            ),
        ]
        context["groups"] = groups
        context["total"] = sum(len(items) for _, items in groups)
        return context


@require_safe
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links; the file is a static one."""
    return HttpResponseRedirect(static("img/favicon.ico"))


def page_not_found(request, exception=None):
    # Rendered without a request context: error pages must not touch the database.
    return HttpResponseNotFound(loader.render_to_string("404.html", {"request_path": request.path}))


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("500.html"))
