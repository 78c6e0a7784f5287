"""Who may see which clip: the public sees `published()`; staff who may view clips in
the admin (`news.view_newsclip`, which superusers have) may preview everything.

Every public view of a clip, its photos, attachments, ZIP and PDF looks the clip
up through `visible_clips`, so the rule lives here and nowhere else.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404

from news.models import NewsClip


def may_preview(request):
    # Without a session cookie nobody is logged in: answer without touching the
    # session, so anonymous responses carry no `Vary: Cookie` and stay cacheable.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    # is_staff alone is not enough: an account kept for editing projects must not read
    # embargoed clips. has_perm is false for inactive users and true for superusers.
    return bool(user.is_staff and user.has_perm("news.view_newsclip"))


def visible_clips(request):
    if may_preview(request):
        return NewsClip.objects.all()
    return NewsClip.objects.published()


def get_visible_clip(request, slug):
    return get_object_or_404(visible_clips(request), slug=slug)


PRIVATE = "private, no-store"


def mark_private_if_preview(response, clip):
    """A staff preview of unpublished content must never sit in a shared cache.

    Every view of a clip or its files passes its response through here, whatever
    caching it gives published content."""
    if not clip.is_published():
        response["Cache-Control"] = PRIVATE
    return response
