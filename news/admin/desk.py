"""The clip form's helpers for the writer: the error summary at the top of a refused form, and what
the form's scripts need (strings translated here, the user and clip they work on, the limits).

The scripts (static/admin-overrides/clip-*.js) hold no words of their own: every string they show
comes from `desk_config`, rendered with `json_script`, so it is translated with the rest of the admin.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.forms.forms import NON_FIELD_ERRORS
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from news.links.checks import link_status
from news.public.writing_limits import field_limits

MAX_LINKS = 300  # links one request asks about; a clip has a few dozen at most


def error_summary(form, inline_formsets, skip=()):
    """Each error of a refused form as (label, message, anchor id), in the order the form shows them."""
    items = []
    for message in form.errors.get(NON_FIELD_ERRORS, []):
        if message not in skip:
            items.append((_("The clip"), message, "content-main"))
    for name, field in form.fields.items():
        if name not in form.errors or name == NON_FIELD_ERRORS:
            continue
        anchor = form[name].id_for_label or f"id_{form.add_prefix(name)}"
        for message in form.errors[name]:
            items.append((str(field.label or name).capitalize(), message, anchor))
    for inline in inline_formsets:
        formset = inline.formset
        noun = str(formset.model._meta.verbose_name).capitalize()
        for message in formset.non_form_errors():
            items.append(
                (str(formset.model._meta.verbose_name_plural).capitalize(), message, f"{formset.prefix}-group")
            )
        for number, row in enumerate(formset.forms, start=1):
            for name, messages in row.errors.items():
                if name == NON_FIELD_ERRORS:
                    anchor, label = f"{formset.prefix}-{number - 1}", f"{noun} {number}"
                else:
                    field = row.fields.get(name)
                    anchor = row[name].id_for_label if field else f"{formset.prefix}-{number - 1}"
                    label = f"{noun} {number}: {str(field.label if field else name).lower()}"
                for message in messages:
                    items.append((label, message, anchor))
    return items


def desk_config(request, clip):
    """What the clip form's scripts need, for `json_script`."""
    return {
        "user": request.user.pk,
        "clip": clip.pk if clip is not None and clip.pk else None,
        "model": "newsclip",
        "limits": field_limits(),
        "linkStatusUrl": reverse("admin:news_newsclip_link_status"),
        "siteUrl": settings.SITE_URL,
        "shareImage": static("img/share.png"),
        # The share card shows what readers' apps will show: the public site's words, in English.
        "defaultDescription": "News, policies and projects of Gwangju Metropolitan City, Korea.",
        "strings": {
            "leaveWarning": _("You have unsaved changes. Leave the page and lose them?"),
            "recoveryFound": _(
                "This browser kept a copy of changes to this clip that were not saved (%(when)s). "
                "Photos, files and related items are not part of it."
            ),
            "recoveryRestore": _("Restore my changes"),
            "recoveryDiscard": _("Discard the copy"),
            "recoveryRestored": _("Your changes are back on the form. Save to keep them."),
            "choosePhoto": _("Choose a photo from the library"),
            "chooseDocument": _("Choose a document from the library"),
            "moveUp": _("Move up"),
            "moveDown": _("Move down"),
            "characters": _("%(count)s characters"),
            "withinLimit": _("%(where)s show about %(limit)s."),
            "overLimit": _("%(where)s cut it after %(limit)s: %(over)s too many."),
            "shareCardTitle": _("Share card preview"),
            "shareCardHelp": _("How KakaoTalk, Facebook and other apps show a link to this clip."),
            "checksTitle": _("Checks"),
            "checksHelp": _("Suggestions for readers and search engines. They never stop you saving."),
            "checksNone": _("No suggestions: the text, photos and links look fine."),
            "altMissing": _(
                "Photo %(number)s has no alt text. People who cannot see it hear the alt text instead: "
                "say what the photo shows."
            ),
            "altFileName": _(
                "Photo %(number)s: the alt text “%(alt)s” looks like a file name. Describe what the photo shows."
            ),
            "altRedundant": _(
                "Photo %(number)s: the alt text starts with “%(start)s”. Screen readers already say it is an "
                "image: start with what it shows."
            ),
            "altShort": _("Photo %(number)s: the alt text “%(alt)s” is very short. Say what the photo shows."),
            "altLong": _(
                "Photo %(number)s: the alt text is %(count)s characters long. Keep it under about 250 and put "
                "the details in the caption."
            ),
            "headingFirst": _(
                "The first heading, “%(text)s”, is level %(level)s. The clip's title is the page's main heading: "
                "start the text with level 2."
            ),
            "headingSkip": _(
                "The heading “%(text)s” jumps from level %(previous)s to level %(level)s. Screen-reader users "
                "move by headings: go down one level at a time."
            ),
            "headingEmpty": _("A heading is empty. Remove it or give it text."),
            "linkEmpty": _("A link to %(href)s has no text. Readers hear only “link”: give it words."),
            "linkVague": _(
                "The link text “%(text)s” says nothing about where it goes. Links are often read out of context: "
                "name the page or document instead."
            ),
            "paragraphLong": _(
                "A paragraph starting “%(start)s…” has %(count)s words. Long paragraphs are hard to read on a "
                "phone: split it after about %(limit)s words."
            ),
            "linkMissingClip": _("The link “%(text)s” goes to a clip that does not exist (%(href)s)."),
            "linkUnpublishedClip": _(
                "The link “%(text)s” goes to a clip that readers cannot see yet (%(state)s): they will get "
                "“page not found” until it is published."
            ),
            "linkBroken": _("The link “%(text)s” did not answer when checked on %(when)s: %(problem)s."),
            "linkUnchecked": _("Links to other sites are checked in the background; results appear here."),
        },
    }


def link_status_view(request):
    """The clip form's link check: which of the body's links (`href`, repeated) lead nowhere."""
    if not request.user.has_perm("news.view_newsclip"):
        raise PermissionDenied
    hrefs = [href for href in request.GET.getlist("href")[:MAX_LINKS] if len(href) <= 2000]
    return JsonResponse({"links": link_status(hrefs)})
