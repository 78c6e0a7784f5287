from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import ClipFilter
from .models import NewsClip
from .page_cache import VIEWS_HOLE, downloads_hole, fill_counters, generation, may_use_cache
from .pagination import SafePaginationMixin
from .structured_data import news_article_json_ld
from .visibility import get_visible_clip, mark_private_if_preview


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

    def get(self, request, *args, **kwargs):
        clip = self.object = get_visible_clip(request, kwargs["slug"])
        if not clip.is_published():
            # A staff preview: never counted, never cached.
            return mark_private_if_preview(self.render_with_counters(clip, clip.view_count), clip)
        # Counted in the database, never read-modify-write; `updated` is left alone.
        NewsClip.objects.filter(pk=clip.pk).update(view_count=F("view_count") + 1)
        view_count = clip.view_count + 1
        if not may_use_cache(request):
            return self.render_with_counters(clip, view_count)
        key = f"page:clip:{generation()}:{clip.pk}"
        cached = cache.get(key)
        if cached is None:
            response = self.render_with_counters(clip, view_count, keep_holes_in=key)
            return response
        html, has_attachments = cached
        counts = dict(clip.attachments.values_list("id", "download_count")) if has_attachments else {}
        return HttpResponse(fill_counters(html, view_count, counts))

    def render_with_counters(self, clip, view_count, keep_holes_in=None):
        context = self.get_context_data(object=clip)
        response = self.render_to_response(context).render()
        html = response.content.decode()
        if keep_holes_in:
            cache.set(keep_holes_in, (html, bool(context["attachments"])), settings.PAGE_CACHE_SECONDS)
        counts = {attachment.pk: attachment.download_count for attachment in context["attachments"]}
        response.content = fill_counters(html, view_count, counts)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clip = self.object
        photos = list(clip.images.order_by("position", "id"))
        attachments = list(clip.attachments.order_by("position", "id"))
        for attachment in attachments:
            attachment.downloads_hole = downloads_hole(attachment.pk)
        published = NewsClip.objects.published().only("slug", "title", "publish_at")
        context.update(
            photos=photos,
            attachments=attachments,
            views_hole=VIEWS_HOLE,
            related_projects=list(clip.projects.only("slug", "name", "status").order_by("name")),
            related_objectives=list(clip.objectives.only("number", "title").order_by("number")),
            previous_clip=published.filter(publish_at__lt=clip.publish_at).order_by("-publish_at", "-id").first(),
            next_clip=published.filter(publish_at__gt=clip.publish_at).order_by("publish_at", "id").first(),
            is_preview=not clip.is_published(),
            breadcrumbs=[(reverse("news:list"), "News clips"), (None, clip.title)],
            json_ld=news_article_json_ld(clip, photos),
        )
        return context
