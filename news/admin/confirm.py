"""Confirmation pages for the steps that take a live clip off the site: plain forms, no JavaScript.

The change form asks in place (its data, files included, are posted again with the answer; see
`WorkflowForm.needs_confirmation`); the review queue and the bulk action ask on a page of their own.
"""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

CONFIRMED_STEPS = {"confirm_schedule": "schedule", "confirm_unpublish": "unpublish"}


def step_of(value):
    """The workflow step a button names, and whether the button is the answer to a confirmation."""
    value = value or "save"
    return CONFIRMED_STEPS.get(value, value), value in CONFIRMED_STEPS


def unpublish_question(clip):
    return _(
        "Unpublishing “%(title)s” takes it off the site now: readers get “page not found” at its address, "
        "and it leaves lists, search, the feed and the sitemap. You can publish it again later."
    ) % {"title": clip.title}


def takedown_question(clip, at):
    return _(
        "“%(title)s” is live. Scheduling it for %(when)s KST takes it off the site until then: "
        "readers get “page not found” at its address in the meantime."
    ) % {"title": clip.title, "when": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"}


def confirmation_page(request, model_admin, *, title, question, action, hidden, yes, cancel_url, danger=True):
    """A page asking one question; "yes" posts `hidden` (a list of (name, value)) to `action`."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "question": question,
        "action": action,
        "hidden": hidden,
        "yes": yes,
        "cancel_url": cancel_url,
        "danger": danger,
    }
    response = TemplateResponse(request, "admin/news/newsclip/confirm.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def requested_time(value):
    """A time picked in the review queue (`<input type=datetime-local>`, Seoul time): (aware time, error)."""
    if not value:
        return None, _("Choose the date and time to publish at.")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        return None, _("“%(value)s” is not a date and time.") % {"value": value}
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed <= timezone.now():
        return None, _("To approve for a time, choose a time in the future.")
    return parsed, None
