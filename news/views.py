from django.db.models import Count, Q
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.page_cache import page_key, serve_page
from core.pagination import SafePaginationMixin
from projects.models import Project

from .counters import VIEWS_HOLE, downloads_hole, fill_counters
from .filters import ClipFilter
from .headings import add_heading_anchors
from .models import NewsClip
from .structured_data import news_article_json_ld
from .visibility import mark_private_if_preview, visible_clips


class ClipListView(SafePaginationMixin, FilterView):
    filterset_class = ClipFilter
    template_name = "news/clip_list.html"
    paginate_by = 10

    def get_queryset(self):
        return NewsClip.objects.published().cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[(None, "News clips")], **kwargs)


class ClipDetailView(DetailView):
    template_name = "news/clip_detail.html"
    context_object_name = "clip"

    related_shown = 5

    def get_queryset(self):
        return visible_clips(self.request).select_related("department")

    def get(self, request, *args, **kwargs):
        clip = self.object = self.get_object()
        published = clip.is_published()
        # A HEAD or a staff preview is not a reader's view.
        view_count = clip.count_view() if published and request.method == "GET" else clip.view_count
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
        photos = list(clip.images.all())
        attachments = list(clip.attachments.all())
        for attachment in attachments:
            attachment.downloads_hole = downloads_hole(attachment.pk)
        published = NewsClip.objects.published().only("slug", "title", "publish_at")
        body, contents = add_heading_anchors(clip.body)
        related = self.related_items(clip)
        context.update(
            photos=photos,
            attachments=attachments,
            views_hole=VIEWS_HOLE,
            body=body,
            contents=contents if len(contents) >= 2 else [],
            achievements=list(clip.achievements.only("number", "title", "major_rank")),
            related_first=related[: self.related_shown],
            related_rest=related[self.related_shown :],
            related_count=len(related),
            previous_clip=published.filter(publish_at__lt=clip.publish_at).order_by("-publish_at", "-id").first(),
            next_clip=published.filter(publish_at__gt=clip.publish_at).order_by("publish_at", "id").first(),
            is_preview=not clip.is_published(),
            breadcrumbs=[(reverse("news:list"), "News clips"), (None, clip.title)],
            json_ld=news_article_json_ld(clip, photos),
        )
        return context

    def related_items(self, clip):
        """The clip's projects and objectives, most connected first: an item scores one for
        each of the clip's other links it shares (a project under one of the clip's
        objectives or achievements, an objective holding one of the clip's projects)."""
        projects = clip.projects.only("slug", "name", "status").annotate(
            score=Count("objectives", filter=Q(objectives__news_clips=clip), distinct=True)
            + Count("achievements", filter=Q(achievements__news_clips=clip), distinct=True)
        )
        objectives = clip.objectives.only("number", "title").annotate(
            score=Count("projects", filter=Q(projects__news_clips=clip), distinct=True)
        )
        items = [*objectives, *projects]
        # Ties keep objectives in their number order, then projects by name.
        return sorted(
            items, key=lambda item: (-item.score, isinstance(item, Project), getattr(item, "number", 0), str(item))
        )
