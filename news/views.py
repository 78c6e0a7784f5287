from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.page_cache import page_key, serve_page
from core.pagination import DeferredJoinPaginator, SafePaginationMixin
from projects.models import Project

from .counters import VIEWS_HOLE, count_view, current_views, downloads_hole, fill_counters
from .filters import ClipFilter
from .headings import add_heading_anchors
from .models import NewsClip
from .published import published_state
from .structured_data import news_article_json_ld
from .visibility import mark_private_if_preview, visible_clips


class ClipListView(SafePaginationMixin, FilterView):
    filterset_class = ClipFilter
    template_name = "news/clip_list.html"
    paginate_by = 10

    def get_paginator(self, queryset, *args, **kwargs):
        # A search ranks at most search.MAX_CANDIDATES clips, so its pages are never deep;
        # and SQLite's ranking refers to its FTS table by name, which a subquery renames.
        paginator = (Paginator if self.filterset.searched else DeferredJoinPaginator)(queryset, *args, **kwargs)
        if self._unfiltered():
            # The whole list: its count is kept between requests (news.published).
            paginator.count = published_state()[0]
        return paginator

    def _unfiltered(self):
        filterset = self.filterset
        return not filterset.is_bound or (filterset.is_valid() and not any(filterset.form.cleaned_data.values()))

    def get_queryset(self):
        return NewsClip.objects.published().cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[(None, "News clips")], **kwargs)


class ClipDetailView(DetailView):
    template_name = "news/clip_detail.html"
    context_object_name = "clip"

    def get_queryset(self):
        return visible_clips(self.request).select_related("department")

    def get(self, request, *args, **kwargs):
        clip = self.object = self.get_object()
        published = clip.is_published()
        # A HEAD or a staff preview is not a reader's view.
        view_count = count_view(clip) if published and request.method == "GET" else current_views(clip)
        response = serve_page(
            request,
            page_key(f"clip:{clip.pk}") if published else None,
            lambda: self.render_to_response(self.get_context_data(object=clip)),
            fill=lambda html: fill_counters(html, view_count, clip),
        )
        return mark_private_if_preview(response, clip)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clip = self.object
        context.update(
            clip_page_context(
                clip,
                photos=list(clip.images.live()),
                attachments=list(clip.attachments.live()),
                projects=clip.projects.all(),
                objectives=clip.objectives.all(),
                achievements=clip.achievements.all(),
                is_preview=not clip.is_published(),
            )
        )
        return context


RELATED_SHOWN = 5


def clip_page_context(clip, *, photos, attachments, projects, objectives, achievements, is_preview):
    """What the clip page shows; also used by the admin's previews of drafts and unsaved forms,
    which pass the draft's photos, attachments and related items."""
    for attachment in attachments:
        attachment.downloads_hole = downloads_hole(attachment.pk)
    published = NewsClip.objects.published().only("slug", "title", "publish_at")
    body, contents = add_heading_anchors(clip.body)
    related = related_items(projects, objectives, achievements)
    return {
        "photos": photos,
        "attachments": attachments,
        "views_hole": VIEWS_HOLE,
        "body": body,
        "contents": contents if len(contents) >= 2 else [],
        "achievements": list(achievements.only("number", "title", "major_rank")),
        "related_first": related[:RELATED_SHOWN],
        "related_rest": related[RELATED_SHOWN:],
        "related_count": len(related),
        "previous_clip": published.filter(publish_at__lt=clip.publish_at).order_by("-publish_at", "-id").first(),
        "next_clip": published.filter(publish_at__gt=clip.publish_at).order_by("publish_at", "id").first(),
        "is_preview": is_preview,
        "breadcrumbs": [(reverse("news:list"), "News clips"), (None, clip.title)],
        "json_ld": news_article_json_ld(clip, photos),
    }


def related_items(projects, objectives, achievements):
    """The clip's projects and objectives, most connected first: an item scores one for each
    of the clip's other links it shares (a project under one of the clip's objectives or
    achievements, an objective holding one of the clip's projects). Two queries."""
    scored_projects = projects.only("slug", "name", "status").annotate(
        score=Count("objectives", filter=Q(objectives__in=objectives.values("pk")), distinct=True)
        + Count("achievements", filter=Q(achievements__in=achievements.values("pk")), distinct=True)
    )
    scored_objectives = objectives.only("number", "title").annotate(
        score=Count("projects", filter=Q(projects__in=projects.values("pk")), distinct=True)
    )
    items = [*scored_objectives, *scored_projects]
    # Ties keep objectives in their number order, then projects by name.
    return sorted(
        items, key=lambda item: (-item.score, isinstance(item, Project), getattr(item, "number", 0), str(item))
    )
