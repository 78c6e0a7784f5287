from collections import Counter

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.edge import declare_count
from core.fragments import cached_fragment, render_blocks
from core.page_cache import offer, page_key
from core.pagination import DeferredJoinPaginator, SafePaginationMixin
from news.models import NewsClip
from news.models.visibility import mark_private_if_preview, visible_clips
from news.public.counters import VIEWS_HOLE, count_view, current_views, downloads_hole, fill_counters
from news.public.filters import ClipFilter
from news.public.headings import add_heading_anchors
from news.public.structured_data import news_article_json_ld
from news.publishing.state import published_state, valid_until
from policies.models import Achievement, Objective
from projects.models import Project


class ClipListView(SafePaginationMixin, FilterView):
    filterset_class = ClipFilter
    template_name = "news/clip_list.html"
    paginate_by = 10

    def get_paginator(self, queryset, *args, **kwargs):
        # A search ranks at most search.MAX_CANDIDATES clips, so its pages are never deep;
        # and SQLite's ranking refers to its FTS table by name, which a subquery renames.
        if self.filterset.searched:
            return Paginator(queryset, *args, **kwargs)
        paginator = DeferredJoinPaginator(
            queryset,
            *args,
            # A filtered list's count is the same for every reader until content changes or
            # the clock publishes or expires a clip; the whole list's is in news.publishing.state.
            count_key=page_key("news-list-count", self.request, params=[*self.filterset.filters]),
            valid_until=valid_until,
            rows=lambda queryset: queryset.cards(),
            **kwargs,
        )
        if self._unfiltered():
            paginator.count = published_state()[0]
        return paginator

    def _unfiltered(self):
        filterset = self.filterset
        return not filterset.is_bound or (filterset.is_valid() and not any(filterset.form.cleaned_data.values()))

    def get_queryset(self):
        # What a card shows (NewsClip.cards) is added for the rows shown: by the paginator, and
        # by the filter for a search's results.
        return NewsClip.objects.published().order_by("-publish_at", "-id")

    def get_context_data(self, **kwargs):
        # "Clear filters" for the filters' own parameters, not for ?page=2.
        applied = any(self.request.GET.get(name) for name in self.filterset.filters)
        context = super().get_context_data(breadcrumbs=[(None, "News clips")], filters_applied=applied, **kwargs)
        # The same for every reader of this query until content changes or the clock publishes or
        # expires a clip (core.fragments), kept as one entry (one cache read): the share tags and
        # breadcrumbs, the filter form (its choices are queries), and the rows of an unsearched list,
        # which are then not even fetched. A search's rows are rendered every time.
        parts, params = ["share_meta", "breadcrumbs", "filters_form"], [*self.filterset.filters]
        if not self.filterset.searched:
            parts, params = [*parts, "rows"], [*params, self.page_kwarg]
        context["parts"] = cached_fragment(
            page_key("news-list-parts", self.request, params=params),
            lambda: render_blocks(get_template(self.template_name), context, self.request, parts),
            until=valid_until,
            request=self.request,
        )
        return context


class ClipDetailView(DetailView):
    template_name = "news/clip_detail.html"
    context_object_name = "clip"

    def get_queryset(self):
        # Not the search columns (the tsvector and plain text are as long as the body again), nor
        # the department: only the kept parts show it (clip_context fetches it when they are made).
        return visible_clips(self.request).defer("body_text", "search_vector")

    def get(self, request, *args, **kwargs):
        clip = self.object = self.get_object()
        published = clip.is_published()
        # A HEAD or a staff preview is not a reader's view.
        if published and request.method == "GET":
            view_count = count_view(clip.pk, request)
        else:
            view_count = current_views(clip.pk, stored=clip.view_count)
        response = self.render_to_response(self.get_context_data(object=clip))
        fill = lambda html: fill_counters(html, view_count, clip.pk)  # noqa: E731
        if published:
            declare_count(response, "view", [clip.pk])
            # Cached with holes for the counts (news.public.counters.cached_clip_hit fills them on a hit),
            # never past the clip's expiry.
            return offer(response, fill, meta={"clip": clip.pk}, expires=clip.expires_at)
        response = response.render()
        response.content = fill(response.content.decode()).encode()
        return mark_private_if_preview(response, clip)

    # The blocks of a published clip's page that depend on its content alone (not on the reader
    # or the request): rendered once per content generation (core.fragments).
    PARTS = ("share_meta", "head", "breadcrumbs", "content")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clip = self.object
        if not clip.is_published():  # a staff preview: everything rendered, nothing kept
            context.update(self.clip_context(clip))
            return context
        context["is_preview"] = False
        context["parts"] = cached_fragment(
            page_key("news-clip-parts", args=[clip.pk]),
            lambda: render_blocks(
                get_template(self.template_name), {**context, **self.clip_context(clip)}, self.request, self.PARTS
            ),
            # Its previous and next clip change when the clock publishes or expires one.
            until=valid_until,
            request=self.request,
        )
        return context

    @staticmethod
    def clip_context(clip):
        prefetch_related_objects([clip], "department")
        return clip_page_context(
            clip,
            photos=list(clip.images.live().select_related("photo")),
            attachments=list(clip.attachments.live().select_related("conversion")),
            projects=clip.projects.all(),
            objectives=clip.objectives.all(),
            achievements=clip.achievements.all(),
            is_preview=not clip.is_published(),
        )


RELATED_SHOWN = 5


def clip_page_context(clip, *, photos, attachments, projects, objectives, achievements, is_preview):
    """What the clip page shows; also used by the admin's previews of drafts and unsaved forms,
    which pass the draft's photos, attachments and related items."""
    for attachment in attachments:
        attachment.downloads_hole = downloads_hole(attachment.pk)
    # Their PDFs for the browser (Attachment.browser_pdf): joined by the public view, else one query.
    prefetch_related_objects([attachment for attachment in attachments if attachment.pk], "conversion")
    published = NewsClip.objects.published().only("slug", "title", "publish_at")
    body, contents = add_heading_anchors(clip.body)
    achievements = list(achievements.only("number", "title", "major_rank"))
    related = related_items(projects, objectives, [achievement.pk for achievement in achievements])
    return {
        "photos": photos,
        "attachments": attachments,
        "views_hole": VIEWS_HOLE,
        "body": body,
        "contents": contents if len(contents) >= 2 else [],
        "achievements": achievements,
        "related_first": related[:RELATED_SHOWN],
        "related_rest": related[RELATED_SHOWN:],
        "related_count": len(related),
        "previous_clip": published.filter(publish_at__lt=clip.publish_at).order_by("-publish_at", "-id").first(),
        "next_clip": published.filter(publish_at__gt=clip.publish_at).order_by("publish_at", "id").first(),
        "is_preview": is_preview,
        "breadcrumbs": [(reverse("news:list"), "News clips"), (None, clip.title)],
        "json_ld": news_article_json_ld(clip, photos),
    }


def _links(projects, objectives, achievement_ids):
    """(kind, objective or achievement id, project id) for each link among these items. One
    statement written out: the ORM's union of two through-table queries cost more to build
    than the clip page's other queries together."""
    project_ids = [project.pk for project in projects]
    parts, params = [], []
    for kind, model, other_ids in (
        ("objective", Objective, [objective.pk for objective in objectives]),
        ("achievement", Achievement, list(achievement_ids)),
    ):
        if not other_ids:
            continue
        through = model.projects.through._meta
        other = through.get_field(model._meta.model_name).column
        project = through.get_field("project").column
        parts.append(
            f"SELECT %s, {other}, {project} FROM {through.db_table} "
            f"WHERE {project} IN ({', '.join(['%s'] * len(project_ids))}) "
            f"AND {other} IN ({', '.join(['%s'] * len(other_ids))})"
        )
        params += [kind, *project_ids, *other_ids]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def related_items(projects, objectives, achievement_ids):
    """The clip's projects and objectives, most connected first: an item scores one for each
    of the clip's other links it shares (a project under one of the clip's objectives or
    achievements, an objective holding one of the clip's projects). Three plain queries:
    the projects, the objectives, and the links among them."""
    projects = list(projects.only("slug", "name", "status"))
    objectives = list(objectives.only("number", "title"))
    scores = Counter()
    if projects and (objectives or achievement_ids):
        for kind, other_id, project_id in _links(projects, objectives, achievement_ids):
            scores[Project, project_id] += 1
            if kind == "objective":
                scores[Objective, other_id] += 1
    for item in [*objectives, *projects]:
        item.score = scores[type(item), item.pk]
    # Ties keep objectives in their number order, then projects by name.
    return sorted(
        [*objectives, *projects],
        key=lambda item: (-item.score, isinstance(item, Project), getattr(item, "number", 0), str(item)),
    )
