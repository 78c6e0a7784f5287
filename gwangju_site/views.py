import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView

from core.search import clean_query, parse_query
from news.models import Attachment, NewsClip
from news.search import search_clips
from policies.models import Achievement, Objective
from projects.models import Project

from .feedback import COMMENT_MAX, FeedbackForm, comes_from_this_site, over_rate_limit, published_page_title
from .models import Feedback

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
        clips = search_clips(NewsClip.objects.published().cards(), parsed)
        groups = [
            ("News clips", clips[: self.per_group]),
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
        context["search_too_slow"] = clips.too_slow
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


class AccessibilityView(TemplateView):
    template_name = "accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[(None, "Accessibility statement")], **kwargs)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _feedback_page(request, form, status=200, attachment=None):
    context = {"form": form, "attachment": attachment, "breadcrumbs": [(None, "Feedback")]}
    response = render(request, "feedback.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # why this is safe, and what guards it instead: gwangju_site/feedback.py
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request):
    """GET: the feedback form on its own page (for "Report a problem" and "Ask for an accessible
    version"). POST: store one answer, then back to the page (JS gets JSON instead)."""
    if request.method != "POST":
        return _feedback_form_for(request)
    json = _wants_json(request)
    if not comes_from_this_site(request):
        message = "Feedback can only be sent from this website's pages."
        return JsonResponse({"error": message}, status=403) if json else HttpResponseForbidden(message)
    if over_rate_limit(request):
        message = "Too many answers from your address. Please try again in a minute."
        response = JsonResponse({"error": message}, status=429) if json else HttpResponse(message, status=429)
        response["Retry-After"] = "60"
        return response
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if json:
            return JsonResponse({"error": " ".join(e for errors in form.errors.values() for e in errors)}, status=400)
        return _feedback_page(request, form, status=400)
    page = form.cleaned_data["page"]
    title = published_page_title(page)
    if title is None:
        raise Http404("No such page.")
    entry = Feedback.objects.create(
        page_path=urlsplit(page).path,
        page_title=title[:300],
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    ask_more = entry.helpful is False and not entry.comment
    if json:
        return JsonResponse({"ok": True, "ask_more": ask_more}, status=201)
    return redirect(f"{entry.page_path}#{'feedback-more' if ask_more else 'feedback-thanks'}")


def _feedback_form_for(request):
    page = request.GET.get("page", "")
    attachment = None
    attachment_id = request.GET.get("attachment", "")
    if attachment_id:
        attachment = (
            Attachment.objects.live()
            .filter(clip__in=NewsClip.objects.published(), pk=attachment_id)
            .select_related("clip")
            .first()
            if attachment_id.isdigit()
            else None
        )
        if attachment is None:
            raise Http404("No such attachment.")
        page = attachment.clip.get_absolute_url()
    if published_page_title(page) is None:
        raise Http404("No such page.")
    initial = {"page": page}
    if attachment is not None:
        request_text = f"Please send me an accessible version of “{attachment.original_name}”."
        initial["comment"] = request_text[:COMMENT_MAX]
    return _feedback_page(request, FeedbackForm(initial=initial), attachment=attachment)
