from django.db.models import F
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import ClipFilter
from .models import NewsClip
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

    def get_object(self, queryset=None):
        clip = get_visible_clip(self.request, self.kwargs["slug"])
        if clip.is_published():
            # Counted in the database, never read-modify-write; `updated` is left alone.
            NewsClip.objects.filter(pk=clip.pk).update(view_count=F("view_count") + 1)
            clip.view_count += 1
        return clip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clip = self.object
        photos = list(clip.images.order_by("position", "id"))
        published = NewsClip.objects.published().only("slug", "title", "publish_at")
        context.update(
            photos=photos,
            attachments=list(clip.attachments.order_by("position", "id")),
            related_projects=list(clip.projects.only("slug", "name", "status").order_by("name")),
            related_objectives=list(clip.objectives.only("number", "title").order_by("number")),
            previous_clip=published.filter(publish_at__lt=clip.publish_at).order_by("-publish_at", "-id").first(),
            next_clip=published.filter(publish_at__gt=clip.publish_at).order_by("publish_at", "id").first(),
            is_preview=not clip.is_published(),
            breadcrumbs=[(reverse("news:list"), "News clips"), (None, clip.title)],
            json_ld=news_article_json_ld(clip, photos),
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return mark_private_if_preview(response, self.object)
