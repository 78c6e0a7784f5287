"""A base revision for clips that have none, so the version a clip started with is always restorable.

Clips written before the revision system, and clips loaded from fixtures (raw loading records
nothing), have no history: after their first published edit the original text would exist in no
revision. `ensure_base_revisions` records the row as it stands as the clip's first revision. The
data migration `0017_base_revisions` holds a frozen copy of this for databases that existed before.
"""

from django.utils.translation import gettext_lazy as _

from news.models import ClipRevision, NewsClip
from news.publishing import workflow

BASE_NOTE = _("The version this clip had before its history was recorded.")


def ensure_base_revisions(clips=None):
    """Record a base revision for each clip (default: every clip) that has no revision; returns how many."""
    clips = NewsClip.objects.all() if clips is None else clips
    made = 0
    for clip in clips.filter(revisions__isnull=True).prefetch_related("projects", "objectives", "achievements"):
        # Dated like the content it holds, so it sorts before every later step.
        workflow.record(clip, None, ClipRevision.Action.CREATED, note=str(BASE_NOTE), created=clip.updated)
        made += 1
    return made
