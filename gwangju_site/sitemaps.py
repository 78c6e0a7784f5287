"""The sitemap: an index at /sitemap.xml pointing at section sitemaps.

Clips are listed in id order, CLIPS_PER_SITEMAP to a file (the protocol allows 50,000;
smaller files stay fast to build at 100,000 clips), so a clip keeps its file as new ones
are published and every published clip is in exactly one file. Every URL has a lastmod.

Files are written as text, not through templates or reverse() per row (tens of thousands of
rows), kept in the page cache until content changes, and answer conditional GETs (ETag and
Last-Modified, 304).
"""

import hashlib
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Max
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from core.page_cache import page_key
from news.models import NewsClip
from news.publishing.state import published_state
from policies.models import Achievement, Objective
from projects.models import Project

CLIPS_PER_SITEMAP = 10_000
XML_START = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _w3c(moment):
    if isinstance(moment, str):  # "YYYY-MM-DD HH:MM:SS…" in UTC, as _clip_urls reads it
        return f"{moment[:10]}T{moment[11:19]}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _moment(value):
    if isinstance(value, str):
        return datetime.fromisoformat(value[:19]).replace(tzinfo=UTC)
    return value


def _clip_url_pattern():
    """The clip URL with {} for the slug: one reverse() per file, not one per row."""
    return reverse("news:detail", kwargs={"slug": "slug-placeholder"}).replace("slug-placeholder", "{}", 1)


def _latest(queryset):
    return queryset.aggregate(latest=Max("updated"))["latest"]


def _clips():
    return NewsClip.objects.published().order_by("pk")


def _clip_page(page):
    start = (page - 1) * CLIPS_PER_SITEMAP
    return _clips()[start : start + CLIPS_PER_SITEMAP]


def _clip_urls(page):
    pattern = _clip_url_pattern()
    # lastmod read as text (UTC on both databases): turning 10,000 timestamps into datetimes and
    # formatting them back was most of a file's build (~0.2 s of 0.25 s at 10,000 clips a file).
    rows = list(_clip_page(page).annotate(stamp=Cast("updated", CharField())).values_list("slug", "stamp"))
    if not rows and page > 1:
        raise Http404("No such sitemap page.")
    return [(pattern.format(slug), updated) for slug, updated in rows]


def _page_urls():
    latest_clip = _latest(NewsClip.objects.published())
    return [
        (reverse("home"), latest_clip),
        (reverse("news:list"), latest_clip),
        (reverse("policies:index"), _latest(Objective.objects.all())),
        (reverse("policies:achievements"), _latest(Achievement.objects.all())),
        (reverse("projects:list"), _latest(Project.objects.all())),
    ]


def _objective_urls():
    return [(o.get_absolute_url(), o.updated) for o in Objective.objects.only("number", "updated")]


def _project_urls():
    return [(p.get_absolute_url(), p.updated) for p in Project.objects.only("slug", "updated")]


SECTIONS = {"pages": _page_urls, "objectives": _objective_urls, "projects": _project_urls}


def _index_entries():
    section_latest = {
        "pages": max((updated for _, updated in _page_urls() if updated), default=None),
        "objectives": _latest(Objective.objects.all()),
        "projects": _latest(Project.objects.all()),
    }
    entries = [(reverse("sitemap-section", args=[name, 1]), section_latest[name]) for name in SECTIONS]
    pages = max(1, -(-published_state()[0] // CLIPS_PER_SITEMAP))
    for page in range(1, pages + 1):
        entries.append((reverse("sitemap-section", args=["news", page]), _latest(_clip_page(page))))
    return entries


def _absolute(path):
    return escape(settings.SITE_URL + path)


def _urlset(urls):
    latest = _moment(max((updated for _, updated in urls if updated), default=None))
    lines = [XML_START, '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    for path, updated in urls:
        # A page without a date of its own (an empty list) changed when the section last did.
        lastmod = _w3c(updated or latest)
        lines.append(f"<url><loc>{_absolute(path)}</loc>{_lastmod(lastmod)}</url>\n")
    lines.append("</urlset>\n")
    return "".join(lines), latest


def _lastmod(value):
    return f"<lastmod>{value}</lastmod>" if value else ""


def _build(section, page):
    if section == "index":
        entries = _index_entries()
        latest = max((u for _, u in entries if u), default=None)
        lines = [XML_START, '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
        for path, updated in entries:
            lines.append(f"<sitemap><loc>{_absolute(path)}</loc>{_lastmod(_w3c(updated or latest))}</sitemap>\n")
        lines.append("</sitemapindex>\n")
        return "".join(lines), latest
    if section == "news" and page >= 1:
        return _urlset(_clip_urls(page))
    if section in SECTIONS and page == 1:
        return _urlset(SECTIONS[section]())
    raise Http404("No such sitemap.")


@require_safe
def sitemap(request, section="index", page=1):
    key = page_key("sitemap", args=[section, page])
    built = cache.get(key) if key else None  # no key: Redis unavailable, build it every time
    if built is None:
        content, latest = _build(section, page)
        content = content.encode()
        built = (content, f'"{hashlib.sha256(content).hexdigest()[:32]}"', latest)
        if key:
            cache.set(key, built, settings.PAGE_CACHE_SECONDS)
    content, etag, latest = built
    last_modified = int(latest.timestamp()) if latest else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = not_modified or HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    return response
