from django import template

from news.models import ClipRevision, NewsClip

register = template.Library()


def _with_revision(clips, action):
    clips = list(clips)
    latest = {}
    for revision in ClipRevision.objects.filter(clip__in=clips, action=action).select_related("user"):
        latest.setdefault(revision.clip_id, revision)  # revisions come newest first
    return [{"clip": clip, "revision": latest.get(clip.pk)} for clip in clips]


def _with_earlier_review(items):
    """For each waiting clip, the version a publisher saw last (sent back, or submitted before), to compare
    a resubmission with; None for a first submission."""
    reviewed = ClipRevision.objects.filter(
        clip__in=[item["clip"] for item in items],
        action__in=[ClipRevision.Action.SENT_BACK, ClipRevision.Action.SUBMITTED],
    ).only("id", "clip_id", "created", "action")
    submitted = {item["clip"].pk: item["revision"] and item["revision"].pk for item in items}
    earlier = {}
    for revision in reviewed:  # newest first
        if submitted[revision.clip_id] not in (None, revision.pk):
            earlier.setdefault(revision.clip_id, revision)
    for item in items:
        item["earlier"] = earlier.get(item["clip"].pk)
    return items


@register.inclusion_tag("admin/news/_review_queue.html", takes_context=True)
def review_queue(context):
    """Clips waiting for a publisher, and clips sent back with a comment, on the admin index."""
    user = context["request"].user
    if not user.has_perm("news.view_newsclip"):
        return {"show": False}
    clips = NewsClip.objects.only("id", "title", "slug", "status", "review", "publish_at", "expires_at").order_by(
        "-updated"
    )
    return {
        "show": True,
        "may_publish": user.has_perm("news.publish_newsclip"),
        "waiting": _with_earlier_review(
            _with_revision(clips.filter(review=NewsClip.Review.REQUESTED), ClipRevision.Action.SUBMITTED)
        ),
        "sent_back": _with_revision(clips.filter(review=NewsClip.Review.SENT_BACK), ClipRevision.Action.SENT_BACK),
        "csrf_token": context.get("csrf_token"),
    }
