"""Links in clip bodies that lead nowhere.

Links to our own clips are checked at once, from the database, when the clip form asks
(`link_status`): a clip that does not exist, or that readers cannot see yet. Links to other sites
are checked only by `manage.py check_links`, run in the background on a timer (never inside a
request): each address at most once a day, a bounded number per run, each with a timeout. Its
results are kept in `LinkCheck` (news/models/link_checks.py) and shown in the clip form's checks
panel and under "Link checks".
"""

import ipaddress
import re
import socket
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import ClipRevision, LinkCheck, NewsClip
from news.models.link_checks import url_hash

_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
USER_AGENT = "GwangjuNewsroomLinkCheck/1.0 (+{site})"


def links_in(html):
    """Every link address in a body, entities resolved, in order, once each."""
    return list(dict.fromkeys(unescape(href).strip() for href in _HREF.findall(html or "")))


def _own_path(href):
    """The path of a link to this site (relative, or absolute on SITE_URL); None for other sites."""
    parts = urlsplit(href)
    if not parts.scheme and not parts.netloc:
        return parts.path if parts.path.startswith("/") else None
    site = urlsplit(settings.SITE_URL)
    if parts.scheme in {"http", "https"} and parts.netloc.lower() == site.netloc.lower():
        return parts.path or "/"
    return None


def is_outbound(href):
    return urlsplit(href).scheme in {"http", "https"} and _own_path(href) is None


def link_status(hrefs, now=None):
    """What the clip form's checks panel says of each link: {href: {"kind": ..., ...}}.

    kinds: "missing" (no such clip or page), "unpublished" (with "state"), "broken" (an outbound
    address whose last check failed, with "problem" and "checked"); links that are fine are left out.
    """
    now = now or timezone.now()
    found, slugs = {}, {}
    for href in hrefs:
        path = _own_path(href)
        if path is None:
            continue
        try:
            match = resolve(path)
        except Resolver404:
            found[href] = {"kind": "missing"}
            continue
        if match.view_name == "news:detail":
            slugs[href] = match.kwargs["slug"]
    clips = {clip.slug: clip for clip in NewsClip.objects.filter(slug__in=slugs.values())}
    for href, slug in slugs.items():
        clip = clips.get(slug)
        if clip is None:
            found[href] = {"kind": "missing"}
        elif not clip.is_published(now):
            found[href] = {"kind": "unpublished", "state": str(clip.state(now).label).lower()}
    outbound = {url_hash(href): href for href in hrefs if is_outbound(href)}
    for check in LinkCheck.objects.filter(url_hash__in=outbound, ok=False):
        found[outbound[check.url_hash]] = {
            "kind": "broken",
            "problem": check.problem,
            "checked": f"{timezone.localtime(check.checked_at):%Y-%m-%d %H:%M}",
        }
    return found


# --- the background check --------------------------------------------------------------------------------


def outbound_links():
    """Every outbound address in the bodies of clips and of their drafts."""
    seen = {}
    for body in NewsClip.objects.values_list("body", flat=True).iterator():
        seen.update(dict.fromkeys(href for href in links_in(body) if is_outbound(href)))
    for data in ClipRevision.objects.filter(pending=True).values_list("data", flat=True):
        seen.update(dict.fromkeys(href for href in links_in(data.get("body", "")) if is_outbound(href)))
    return list(seen)


def record_links(urls):
    """A row for each address not seen before; returns how many were new."""
    known = set(LinkCheck.objects.filter(url_hash__in=[url_hash(u) for u in urls]).values_list("url_hash", flat=True))
    new = [LinkCheck(url=url, url_hash=url_hash(url)) for url in urls if url_hash(url) not in known]
    LinkCheck.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _private(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return False  # the request reports the failure
    return any(
        (address := ipaddress.ip_address(a.split("%")[0])).is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        for a in addresses
    )


def check_url(url, timeout):
    """(ok, status, problem): HEAD first, GET when a server refuses HEAD; redirects followed."""
    host = urlsplit(url).hostname or ""
    if not getattr(settings, "LINK_CHECK_PRIVATE_NETWORKS", False) and _private(host):
        return None, None, str(_("not checked: the address is on a private network"))
    headers = {"User-Agent": USER_AGENT.format(site=settings.SITE_URL)}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
                return True, response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in {403, 405, 501}:
                continue  # some servers answer HEAD badly; ask as a browser would
            return False, error.code, f"HTTP {error.code} {error.reason}".strip()
        except TimeoutError:
            return False, None, str(_("no answer within %(seconds)s seconds")) % {"seconds": timeout}
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError | socket.timeout):
                return False, None, str(_("no answer within %(seconds)s seconds")) % {"seconds": timeout}
            return False, None, str(reason)[:300]
    return False, None, ""


def check_due(*, limit, timeout, interval, now=None):
    """Check up to `limit` addresses not checked within `interval`; returns (checked, broken)."""
    now = now or timezone.now()
    due = LinkCheck.objects.filter(models.Q(checked_at__isnull=True) | models.Q(checked_at__lte=now - interval))
    checked = broken = 0
    for check in due.order_by(models.F("checked_at").asc(nulls_first=True), "id")[:limit]:
        check.ok, check.status, check.problem = check_url(check.url, timeout)
        check.checked_at = timezone.now()
        check.save(update_fields=["ok", "status", "problem", "checked_at"])
        checked += 1
        broken += check.ok is False
    return checked, broken
