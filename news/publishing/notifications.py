"""Who is told what as a clip goes through review: a notice in the admin and an e-mail.

Each moment is told from the one step in `workflow` where it happens:

- **submitted** (`workflow.save_draft`, `workflow.saved`): the publishers, asked to review. Publishers are
  the active staff who may publish (`news.publish_newsclip`, from a group such as "Publishers" or given to
  the account itself). A superuser may publish too but is not told unless in such a group: superusers are
  the site's administrators, not the press office's reviewers.
- **sent back** (`workflow.send_back`): the author, with the reviewer's comment.
- **approved** (`workflow.publish`, `workflow.schedule` of a clip that was in review): the author, with
  the reviewer's comment, saying whether the clip is live now or when it goes live.
- **published** (`workflow.publish` of a clip not in review, `workflow.run_schedule` when a scheduled clip
  goes live): the author.

The author is the clip's creator and whoever submitted it last. Nobody is told of their own step, only
active staff are told anything, and staff without an e-mail address get the notice alone. The mail holds
the clip's title and its address in the admin (which asks for a login), nothing a reader could not see
once it is published.

The notices are written in the step's transaction, so they exist exactly when the step happened; the
e-mails go once it commits, each in its recipient's language, through Django's e-mail settings
(README, Configuration). A mail server that refuses, fails or is gone is logged and never undoes the step.
"""

import contextlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.i18n import staff_language
from news.models import ClipRevision, Notice

logger = logging.getLogger(__name__)
Kind = Notice.Kind


# --- the moments (called from news.publishing.workflow) ---------------------------------


def submitted(clip, actor, *, title=None):
    _notify(Kind.SUBMITTED, clip, actor, publishers(), title=title)


def sent_back(clip, actor, comment):
    _notify(Kind.SENT_BACK, clip, actor, authors(clip), comment=comment)


def approved(clip, actor, *, comment="", scheduled_at=None):
    _notify(Kind.APPROVED, clip, actor, authors(clip), comment=comment, at=scheduled_at)


def published(clip, actor):
    """`actor` None: the scheduler put the clip live at its publish time."""
    _notify(Kind.PUBLISHED, clip, actor, authors(clip), at=clip.publish_at)


# --- who ---------------------------------------------------------------------------------


def publishers():
    """The active staff who may publish, by a group or on their own account."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    permission = Permission.objects.filter(content_type__app_label="news", codename="publish_newsclip").first()
    if permission is None:
        return users.none()
    return users.filter(Q(groups__permissions=permission) | Q(user_permissions=permission)).distinct()


def authors(clip):
    """The clip's creator and whoever submitted it for review last."""
    people = [clip.created_by] if clip.created_by_id else []
    submission = (
        clip.revisions.filter(action=ClipRevision.Action.SUBMITTED, user__isnull=False).select_related("user").first()
    )
    if submission is not None:
        people.append(submission.user)
    return people


# --- what --------------------------------------------------------------------------------


def _name(user):
    return user.get_full_name() or user.get_username()


def _kst(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def words(kind, *, title, actor, comment="", at=None):
    """(subject, message) in the active language."""
    values = {"title": title, "who": _name(actor) if actor else "", "when": _kst(at) if at else ""}
    if kind == Kind.SUBMITTED:
        subject = _("Review requested: “%(title)s”") % values
        message = _("%(who)s submitted “%(title)s” for review.") % values
    elif kind == Kind.SENT_BACK:
        subject = _("Sent back to you: “%(title)s”") % values
        message = _("%(who)s sent “%(title)s” back to you with this comment:") % values + "\n\n" + comment
    elif kind == Kind.APPROVED:
        subject = _("Approved: “%(title)s”") % values
        if at is not None:
            message = _("%(who)s approved “%(title)s”. It goes live on %(when)s KST.") % values
        else:
            message = _("%(who)s approved “%(title)s”. It is on the site now.") % values
        if comment:
            message += "\n\n" + _("Their comment:") + "\n\n" + comment
    else:
        subject = _("Published: “%(title)s”") % values
        if actor is not None:
            message = _("%(who)s published “%(title)s”. It is on the site now.") % values
        else:
            message = _("“%(title)s” went live as scheduled, at %(when)s KST.") % values
    return " ".join(subject.split()), message


def mail_body(message, clip_url):
    notices_url = absolute(reverse("admin:news_notice_changelist"))
    return "\n".join(
        [
            message,
            "",
            _("Open the clip in the admin: %(url)s") % {"url": clip_url},
            "",
            "-- ",
            _("Gwangju Newsroom. You get this e-mail because of your role in the press office."),
            _("Your notices are in the admin too: %(url)s") % {"url": notices_url},
        ]
    )


def absolute(path):
    return settings.SITE_URL + path


# --- telling ------------------------------------------------------------------------------


def _notify(kind, clip, actor, recipients, *, title=None, comment="", at=None):
    title = title or clip.title
    clip_url = absolute(reverse("admin:news_newsclip_change", args=[clip.pk]))
    told, notices, mails = set(), [], []
    for user in recipients:
        if user.pk in told or (actor is not None and user.pk == actor.pk) or not (user.is_active and user.is_staff):
            continue
        told.add(user.pk)
        with translation.override(staff_language(user)):
            subject, message = words(kind, title=title, actor=actor, comment=comment.strip(), at=at)
            notices.append(Notice(recipient=user, clip=clip, kind=kind, message=message))
            if user.email:
                mails.append(EmailMessage(subject, mail_body(message, clip_url), to=[user.email]))
    Notice.objects.bulk_create(notices)
    if mails:
        transaction.on_commit(lambda: send(mails, f"{kind} of clip {clip.pk}"))


def send(mails, what):
    """Send `mails` over one connection; a failure is logged, never raised. Returns how many went."""
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("Notification e-mails (%s) not sent: the mail server could not be reached", what)
        return 0
    sent = 0
    try:
        for mail in mails:
            mail.connection = connection
            try:
                sent += mail.send()
            except Exception:
                logger.exception("A notification e-mail (%s) was not sent", what)
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return sent
