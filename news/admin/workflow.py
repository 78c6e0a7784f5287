"""The publishing workflow in the clip admin: state label and filter, the workflow buttons,
drafts of live clips, review, revisions (compare, restore), previews and optimistic locking.

The rules live in `news.publishing.workflow`; this module turns requests into its steps and checks
who may take them. Publishing, scheduling and unpublishing need `news.publish_newsclip`,
whichever route asks (button, bulk action, review queue).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.rich_text import sanitise
from core.storage import files_follow_transaction
from news.admin.confirm import confirmation_page, requested_time, step_of, takedown_question, unpublish_question
from news.admin.desk import desk_config, error_summary, link_status_view
from news.files.preview import new_upload, preview_order, staged_file_response, staged_rows
from news.models import Attachment, ClipImage, ClipRevision, NewsClip
from news.public.views import clip_page_context
from news.publishing import workflow
from news.publishing.revision_diff import compare

Status = NewsClip.Status
PUBLISHER_STEPS = {"publish", "schedule", "unpublish"}
STEPS = {"save", "submit", *PUBLISHER_STEPS}


def requested_step(request):
    """The workflow button pressed; the admin's own Save buttons save (a draft, for a clip on the site)."""
    step, _confirmed = step_of(request.POST.get("_workflow"))
    if step not in STEPS:
        raise PermissionDenied("Unknown workflow step.")
    return step


def may_publish(user):
    return user.has_perm("news.publish_newsclip")


def state_label(clip, now=None, *, with_time=True):
    """The clip's state as a coloured label, with its time in KST (the list has a column for the time)."""
    now = now or timezone.now()
    state = clip.state(now)
    when = None
    if state == Status.SCHEDULED:
        when = clip.publish_at
    elif state == Status.PUBLISHED:
        when = clip.publish_at
    elif state == Status.UNPUBLISHED and clip.expires_at and clip.expires_at <= now:
        if not with_time:
            return format_html('<span class="clip-state clip-state-unpublished">{}</span>', _("Expired"))
        return format_html(
            '<span class="clip-state clip-state-unpublished">{} · {} KST</span>',
            _("Expired"),
            f"{timezone.localtime(clip.expires_at):%Y-%m-%d %H:%M}",
        )
    if when is None or not with_time:
        return format_html('<span class="clip-state clip-state-{}">{}</span>', state, state.label)
    return format_html(
        '<span class="clip-state clip-state-{}">{} · {} KST</span>',
        state,
        state.label,
        f"{timezone.localtime(when):%Y-%m-%d %H:%M}",
    )


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("review", _("In review")), ("draft_pending", _("Live with unpublished changes"))]

    def queryset(self, request, queryset):
        match self.value():
            case "review":
                return queryset.filter(review=NewsClip.Review.REQUESTED)
            case "draft_pending":
                return queryset.filter(revisions__pending=True)
        if self.value() in Status.values:
            return queryset.in_state(self.value())
        return queryset


def workflow_form(base):
    """The clip form with the lock token and the take-down confirmation."""

    class WorkflowForm(base):
        lock_token = forms.IntegerField(required=False, widget=forms.HiddenInput)
        confirm_takedown = forms.BooleanField(
            required=False, label=gettext_lazy("Yes, take it off the site until then")
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # The row's own fields come from the instance, which already holds the draft
            # (workflow.with_draft); related items are read from the database, which holds the
            # live ones: the form shows the draft's, or the next save would drop them.
            draft = getattr(self.instance, "draft", None)
            if draft is not None:
                for name in workflow.RELATED_FIELDS:
                    if name in self.fields and name in draft.data:
                        self.initial[name] = [pk for pk, _label in draft.data[name]]

        def clean(self):
            cleaned = super().clean()
            clip = self.instance
            step, confirmed = step_of(self.data.get("_workflow"))
            if confirmed and step == "schedule":
                cleaned["confirm_takedown"] = True
            if clip.pk:
                # Lock the row first, then read the token: two saves of one version queue here, and
                # the second reads the token the first has moved (read before the lock, both passed).
                # The admin's transaction holds the lock until the save commits.
                NewsClip.objects.select_for_update().filter(pk=clip.pk).first()
                current = workflow.lock_token(clip)
                if cleaned.get("lock_token") != current:
                    self.stale = (cleaned.get("lock_token"), current)
                    latest = clip.revisions.first()
                    if latest:
                        message = _(
                            "This clip was changed by %(who)s after you opened it, so your changes were not saved "
                            "(they would overwrite theirs). Compare the versions, then reload and make your changes "
                            "again."
                        ) % {"who": latest.user or _("the scheduler")}
                    else:
                        message = _(
                            "This clip was changed after you opened it, so your changes were not saved (they would "
                            "overwrite theirs). Compare the versions, then reload and make your changes again."
                        )
                    raise forms.ValidationError(message, code="stale")
            publish_at = cleaned.get("publish_at")
            if step == "schedule" and publish_at:
                if publish_at <= timezone.now():
                    self.add_error("publish_at", _("To schedule, set a publish date in the future."))
                elif (
                    clip.pk
                    and NewsClip.objects.published().filter(pk=clip.pk).exists()
                    and not cleaned.get("confirm_takedown")
                ):
                    self.needs_confirmation = "schedule"
                    self.confirmation_question = takedown_question(clip, publish_at)
                    self.add_error(None, workflow.takedown_warning(publish_at))
            if step == "unpublish" and not confirmed and clip.pk and clip.is_on_site():
                # Asked on the form itself, which comes back with everything the editor sent.
                self.needs_confirmation = "unpublish"
                self.confirmation_question = unpublish_question(clip)
                self.add_error(None, self.confirmation_question)
            return cleaned

    return WorkflowForm


def draft_formset(formset, draft):
    """An inline formset showing the draft's photos or attachments (pending ones included,
    ones the draft removes left out), with the draft's captions and order."""

    class DraftFormSet(formset):
        def clip_rows(self):  # news.admin.ClipRowsFormSet
            if self.model is ClipImage:
                return workflow.draft_photos(self.instance, draft.data)
            return workflow.draft_attachments(self.instance, draft.data)

    return DraftFormSet


class WorkflowAdminMixin:
    """For NewsClipAdmin: see the module docstring."""

    change_form_template = "admin/news/newsclip/workflow_change_form.html"
    actions = ["publish", "unpublish"]

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["css/admin-workflow.css", "admin-overrides/clip-desk.css"]},
            js=["admin-overrides/clip-form-safety.js", "admin-overrides/clip-writing-aids.js"],
        )

    # --- permissions ---------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return may_publish(request.user)

    def get_list_filter(self, request):
        return [StateFilter, *[f for f in super().get_list_filter(request) if f != "status"]]

    @admin.display(description=gettext_lazy("State"), ordering="status")
    def status_display(self, obj):
        label = state_label(obj, with_time=False)
        if obj.review == NewsClip.Review.REQUESTED:
            return format_html('{} <span class="clip-review">{}</span>', label, _("In review"))
        if obj.review == NewsClip.Review.SENT_BACK:
            return format_html('{} <span class="clip-review clip-review-back">{}</span>', label, _("Sent back"))
        return label

    # --- the change form -------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        clip = super().get_object(request, object_id, from_field)
        if clip is not None:
            clip, clip.draft = workflow.with_draft(clip)
        return clip

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, form=workflow_form(self.form), **kwargs)
        if obj is not None:
            form.base_fields["lock_token"].initial = workflow.lock_token(obj)
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        draft = getattr(obj, "draft", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield (draft_formset(formset, draft) if draft else formset), inline

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and requested_step(request) in PUBLISHER_STEPS and not may_publish(request.user):
            raise PermissionDenied(_("Only publishers may publish, schedule or unpublish clips."))
        try:
            with files_follow_transaction():
                response = super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self._explain_stale_form(request, response, object_id)
        return response

    def _explain_stale_form(self, request, response, object_id):
        form = getattr(response, "context_data", {}).get("adminform")
        stale = getattr(form and form.form, "stale", None)
        if stale:
            yours, theirs = stale
            url = reverse("admin:news_newsclip_compare", args=[object_id])
            response.context_data["stale_compare_url"] = f"{url}?a={yours or 'live'}&b={theirs}"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            row = NewsClip.objects.only("status", "publish_at", "expires_at").get(pk=obj.pk)
            context.update(
                clip_scheduled_at=row.publish_at if row.is_scheduled() else None,
                clip_state=state_label(obj) if obj.draft is None else state_label(NewsClip.objects.get(pk=obj.pk)),
                clip_draft=obj.draft,
                clip_on_site=obj.is_on_site(),
                clip_live=NewsClip.objects.published().filter(pk=obj.pk).exists(),
                sent_back=workflow.sent_back_comment(obj),
                recent_revisions=obj.revisions.select_related("user")[:5],
            )
        context.update(may_publish=may_publish(request.user))
        form = context["adminform"].form
        question = getattr(form, "confirmation_question", None)
        if question:
            context["confirmation"] = {"step": form.needs_confirmation, "question": question}
        if form.is_bound and context.get("errors"):
            # One list at the top linking to each field with an error (the admin's own note is replaced).
            summary = error_summary(form, context.get("inline_admin_formsets", []), skip=[question])
            context.update(error_summary=summary, errors=[])
        context["desk_config"] = desk_config(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        # What save_related needs to know travels on the form, never on the request.
        form.workflow_step = requested_step(request)
        form.on_site = change and NewsClip.objects.on_site().filter(pk=obj.pk).exists()
        if not change:
            obj.status = Status.DRAFT  # its status changes only through a step (save_related)
        super().save_model(request, obj, form, change)

    def save_row(self, request, obj, form, change):
        # A clip off the site is edited in place; the row of a clip on the site is what the public
        # sees, so its edits become a draft (save_related) and the row is not written here.
        if not form.on_site:
            super().save_row(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        clip, user, step = form.instance, request.user, form.workflow_step
        if not form.on_site:
            super().save_related(request, form, formsets, change)
            if step == "publish":
                workflow.publish(clip, user)
            elif step == "schedule":
                workflow.schedule(clip, user, clip.publish_at)
            elif step == "unpublish":
                raise workflow.WorkflowError(_("Only a published or scheduled clip can be unpublished."))
            else:
                workflow.saved(clip, user, created=not change, submitted=step == "submit")
            return
        data = self._draft_snapshot(form, formsets)
        live = NewsClip.objects.get(pk=clip.pk)
        if step == "publish":
            workflow.publish(live, user, data=data)
        elif step == "schedule":
            at = form.cleaned_data["publish_at"]
            workflow.schedule(live, user, at, data=data, confirm_takedown=form.cleaned_data.get("confirm_takedown"))
        elif step == "unpublish":
            workflow.unpublish(live, user, data=data)
        else:
            action = ClipRevision.Action.SUBMITTED if step == "submit" else ClipRevision.Action.DRAFTED
            workflow.save_draft(live, user, data, action=action)

    def _draft_snapshot(self, form, formsets):
        """The submitted form as a draft: new and replaced files are stored as pending rows,
        nothing else is written."""
        clip = form.instance
        rows = {ClipImage: [], Attachment: []}
        for formset in formsets:
            # The admin's change message reads these; in a draft nothing live is changed or deleted.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for row_form in formset.forms:
                if not row_form.has_changed() and row_form.instance.pk is None:
                    continue
                if formset.can_delete and row_form in formset.deleted_forms:
                    continue
                file_fields = {"image", "photo"} if formset.model is ClipImage else {"file", "pdf_version", "document"}
                if row_form.instance.pk is None or file_fields & set(row_form.changed_data):
                    # A replaced file (or a new PDF version) becomes a new pending row: the live one keeps
                    # its files until publication, and a file both rows share outlives the live row.
                    # A new row goes through the formset, which places it after the others
                    # (django-admin-sortable2); a replaced file keeps its row's place.
                    is_new = row_form.instance.pk is None and hasattr(formset, "save_new")
                    replaced = None if is_new else row_form.instance.pk
                    row = formset.save_new(row_form, commit=False) if is_new else row_form.save(commit=False)
                    row.pk = None
                    # On publication the new file takes the live row's place: its id (the public
                    # address) and, for an attachment, its download count (news.publishing.workflow).
                    row.replaces_id = replaced
                    row.clip = clip
                    row.pending = True
                    if formset.model is Attachment:
                        row.download_count = 0
                    row.save()
                    formset.new_objects.append(row)
                rows[formset.model].append(row_form.instance)
        clip.body = sanitise(clip.body)
        return workflow.snapshot(
            clip,
            related={name: form.cleaned_data.get(name, []) for name in workflow.RELATED_FIELDS},
            photos=rows[ClipImage],
            attachments=rows[Attachment],
        )

    def response_add(self, request, obj, post_url_continue=None):
        return self._stay_on_form(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._stay_on_form(request, obj) or super().response_change(request, obj)

    def _stay_on_form(self, request, obj):
        if "_workflow" not in request.POST:
            return None
        # A draft of a clip on the site leaves its status as it was; anything else was saved in place.
        done = {
            "save": self._draft_saved_message(obj) if obj.is_on_site() else _("Saved. It is not public."),
            "submit": _("Submitted for review: a publisher will approve it or send it back."),
            "publish": _("Published: it is on the site now."),
            "schedule": _("Scheduled."),
            "unpublish": _("Unpublished: it is off the site."),
        }[requested_step(request)]
        messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:news_newsclip_change", args=[obj.pk]))

    def _draft_saved_message(self, clip):
        row = NewsClip.objects.get(pk=clip.pk)
        if row.is_scheduled():
            return _(
                "Saved as a draft: the version scheduled for %(when)s KST is unchanged until your draft is published."
            ) % {"when": f"{timezone.localtime(row.publish_at):%Y-%m-%d %H:%M}"}
        return _("Saved as a draft: the public still sees the live version.")

    # --- bulk actions ------------------------------------------------------------------

    def _bulk(self, request, queryset, step, done):
        """`done(count)` words the success message."""
        count, failed = 0, []
        note = f"Bulk action on {queryset.count()} clip(s)"  # recorded in the history, in the site's language
        for clip in queryset:
            try:
                with transaction.atomic():
                    step(NewsClip.objects.select_for_update().get(pk=clip.pk), request.user, note=note)
                count += 1
            except workflow.WorkflowError as error:
                failed.append(f"“{clip}”: {error}")
        if count:
            self.message_user(request, done(count), messages.SUCCESS)
        for message in failed:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=gettext_lazy("Publish selected clips now (with their drafts)"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(
            request,
            queryset,
            workflow.publish,
            lambda count: ngettext("%(count)d clip published.", "%(count)d clips published.", count) % {"count": count},
        )

    @admin.action(description=gettext_lazy("Unpublish selected clips"), permissions=["publish"])
    def unpublish(self, request, queryset):
        on_site = queryset.on_site()
        if request.POST.get("confirmed") != "yes":
            titles = ", ".join(f"“{title}”" for title in on_site.values_list("title", flat=True)[:20])
            count = on_site.count()
            return confirmation_page(
                request,
                self,
                title=_("Unpublish %(count)d clip(s)?") % {"count": count},
                question=_(
                    "These clips leave the site now: %(titles)s%(more)s. Readers get “page not found” at their "
                    "addresses. You can publish them again later."
                )
                % {"titles": titles, "more": "…" if count > 20 else ""},
                action=request.get_full_path(),
                hidden=[
                    ("action", "unpublish"),
                    ("confirmed", "yes"),
                    *((ACTION_CHECKBOX_NAME, pk) for pk in queryset.values_list("pk", flat=True)),
                ],
                yes=_("Yes, unpublish them"),
                cancel_url=request.get_full_path(),
            )
        self._bulk(
            request,
            on_site,
            workflow.unpublish,
            lambda count: (
                ngettext("%(count)d clip unpublished.", "%(count)d clips unpublished.", count) % {"count": count}
            ),
        )
        return None

    # --- extra admin pages ---------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("preview/", view(self.preview_view), name="news_newsclip_preview_new"),
            path("<int:object_id>/preview/", view(self.preview_view), name="news_newsclip_preview"),
            path("staged/<uuid:token>/", view(staged_file_response), name="news_newsclip_staged"),
            path("link-status/", view(link_status_view), name="news_newsclip_link_status"),
            path("<int:object_id>/draft/", view(self.draft_view), name="news_newsclip_draft"),
            path("<int:object_id>/revisions/", view(self.revisions_view), name="news_newsclip_revisions"),
            path("<int:object_id>/revisions/compare/", view(self.compare_view), name="news_newsclip_compare"),
            path(
                "<int:object_id>/revisions/<int:revision_id>/restore/",
                view(self.restore_view),
                name="news_newsclip_restore",
            ),
            path("<int:object_id>/review/", view(self.review_view), name="news_newsclip_review"),
            *super().get_urls(),
        ]

    def _clip_or_404(self, request, object_id, permission="view"):
        clip = NewsClip.objects.filter(pk=object_id).first()
        if clip is None:
            raise Http404("No such clip.")
        allowed = self.has_view_permission if permission == "view" else self.has_change_permission
        if not allowed(request, clip):
            raise PermissionDenied
        return clip

    def _page(self, request, clip, *, photos, attachments, related, banner):
        context = clip_page_context(clip, photos=photos, attachments=attachments, **related, is_preview=True)
        context.update(clip=clip, object=clip, preview_banner=banner)
        response = TemplateResponse(request, "news/clip_detail.html", context)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def preview_view(self, request, object_id=None):
        """The unsaved form rendered as the public page: nothing is saved, nothing counted."""
        if request.method != "POST":
            raise Http404("Preview from the clip's form.")
        clip = self._clip_or_404(request, object_id) if object_id else None
        if clip is None and not self.has_add_permission(request):
            raise PermissionDenied
        form_class = self.get_form(request, clip, change=clip is not None)
        form = form_class(request.POST, request.FILES, instance=clip)
        with transaction.atomic():
            form.is_valid()  # only the instance is wanted; errors are shown, not raised
            formsets, _inlines = self._create_formsets(request, form.instance, change=clip is not None)
            photos, attachments, uploads = [], [], []
            for formset in formsets:
                formset.is_valid()
                for row_form in formset.forms:
                    row = row_form.instance
                    if row_form.errors or (formset.can_delete and row_form.cleaned_data.get("DELETE")):
                        continue
                    upload = new_upload(row_form)
                    if upload:  # shown from the staging store: nothing is saved
                        uploads.append((row_form, *upload))
                    elif row.pk:
                        (photos if formset.model is ClipImage else attachments).append(row)
            transaction.set_rollback(True)
        staged_photos, staged_attachments = staged_rows(request, uploads)
        photos += staged_photos
        attachments += staged_attachments
        preview = form.instance
        preview.body = sanitise(preview.body or "")
        if clip is not None:
            preview.slug = NewsClip.objects.values_list("slug", flat=True).get(pk=clip.pk)
        preview.publish_at = preview.publish_at or timezone.now()
        preview.updated = preview.updated or timezone.now()
        related = {
            name: form.cleaned_data.get(name) or getattr(NewsClip, name).field.related_model.objects.none()
            for name in workflow.RELATED_FIELDS
        }
        banner = _("Preview of unsaved changes — nothing has been saved.")
        if form.errors:
            banner += (
                " "
                + _("The form has errors:")
                + " "
                + "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            )
        return self._page(
            request,
            preview,
            photos=sorted(photos, key=preview_order),
            attachments=sorted(attachments, key=preview_order),
            related=related,
            banner=banner,
        )

    def draft_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id)
        clip, draft = workflow.with_draft(clip)
        if draft is None:
            raise Http404("This clip has no unpublished changes.")
        related = {
            name: getattr(NewsClip, name).field.related_model.objects.filter(pk__in=[pk for pk, _ in draft.data[name]])
            for name in workflow.RELATED_FIELDS
        }
        return self._page(
            request,
            clip,
            photos=workflow.draft_photos(clip, draft.data),
            attachments=workflow.draft_attachments(clip, draft.data),
            related=related,
            banner=_("Unpublished changes, saved %(when)s KST by %(who)s.")
            % {"when": f"{timezone.localtime(draft.created):%Y-%m-%d %H:%M}", "who": draft.user or _("the scheduler")}
            + " "
            + (
                _("The version scheduled for %(when)s KST goes live unless these changes are published first.")
                % {"when": f"{timezone.localtime(clip.publish_at):%Y-%m-%d %H:%M}"}
                if NewsClip.objects.get(pk=clip.pk).is_scheduled()
                else _("The public sees the live version until they are published.")
            ),
        )

    def history_view(self, request, object_id, extra_context=None):
        """Editors look for a clip's past under History: the revisions, with compare and restore."""
        if not str(object_id).isdigit():
            raise Http404("No such clip.")
        return HttpResponseRedirect(reverse("admin:news_newsclip_revisions", args=[object_id]))

    def revisions_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "clip": clip,
            "title": _("Revisions of “%(clip)s”") % {"clip": clip},
            "revisions": clip.revisions.select_related("user"),
            "may_restore": self.has_change_permission(request, clip),
        }
        return TemplateResponse(request, "admin/news/newsclip/revisions.html", context)

    def compare_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id)
        revisions = clip.revisions.select_related("user")
        if clip.is_published():
            current_label = _("The live version (the row as the public sees it)")
        elif clip.is_scheduled():
            current_label = _("The scheduled version (what the public sees from %(when)s KST)") % {
                "when": f"{timezone.localtime(clip.publish_at):%Y-%m-%d %H:%M}"
            }
        else:
            current_label = _("The current version (not public)")

        def version(key):
            if key == "live" or not key:
                return current_label, workflow.snapshot(clip)
            revision = revisions.filter(pk=key).first() if key.isdigit() else None
            if revision is None:
                raise Http404("No such revision of this clip.")
            return str(revision), revision.data

        (a_label, a_data), (b_label, b_data) = version(request.GET.get("a")), version(request.GET.get("b"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "clip": clip,
            "title": _("Compare revisions of “%(clip)s”") % {"clip": clip},
            "a_label": a_label,
            "b_label": b_label,
            "changes": compare(a_data, b_data),
        }
        return TemplateResponse(request, "admin/news/newsclip/compare.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, revision_id):
        clip = self._clip_or_404(request, object_id, permission="change")
        revision = get_object_or_404(ClipRevision, pk=revision_id, clip=clip)
        lost = workflow.restore(clip, revision, request.user)
        when = f"{timezone.localtime(revision.created):%Y-%m-%d %H:%M}"
        if clip.is_scheduled():
            restored = _("Restored the revision of %(when)s KST as a draft; the scheduled version is unchanged.")
        elif clip.is_on_site():
            restored = _("Restored the revision of %(when)s KST as a draft; the public still sees the live version.")
        else:
            restored = _("Restored the revision of %(when)s KST.")
        self.message_user(request, restored % {"when": when})
        for item in lost:
            self.message_user(request, _("Not restored: %(item)s.") % {"item": item}, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:news_newsclip_change", args=[clip.pk]))

    @method_decorator(require_POST)
    def review_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id, permission="change")
        decision = request.POST.get("decision")
        comment = request.POST.get("comment", "")
        back = "admin:news_newsclip_change" if request.POST.get("next") == "clip" else None
        back_url = reverse(back, args=[clip.pk]) if back else reverse("admin:index")
        if decision not in {"approve", "approve_at", "send_back", "discard"}:
            return HttpResponseRedirect(reverse("admin:index"))
        if not may_publish(request.user):
            raise PermissionDenied(_("Only publishers may approve, send back or discard drafts."))
        at = None
        if decision == "approve_at":
            at, problem = requested_time(request.POST.get("publish_at"))
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return HttpResponseRedirect(back_url)
        elif decision == "approve" and NewsClip.objects.published().filter(pk=clip.pk).exists():
            in_draft, draft = workflow.with_draft(NewsClip.objects.get(pk=clip.pk))
            if draft is not None and in_draft.publish_at > timezone.now():
                at = in_draft.publish_at  # the draft moves the live clip into the future
        if at and NewsClip.objects.published().filter(pk=clip.pk).exists() and request.POST.get("confirmed") != "yes":
            return confirmation_page(
                request,
                self,
                title=_("Take this live clip off the site until %(when)s KST?")
                % {"when": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"},
                question=takedown_question(clip, at),
                action=request.path,
                hidden=[
                    ("decision", "approve_at"),
                    ("publish_at", f"{timezone.localtime(at):%Y-%m-%dT%H:%M}"),
                    ("comment", comment),
                    ("next", request.POST.get("next", "")),
                    ("confirmed", "yes"),
                ],
                yes=_("Yes, take it off the site and schedule it"),
                cancel_url=back_url,
            )
        try:
            with transaction.atomic():
                clip = NewsClip.objects.select_for_update().get(pk=clip.pk)
                if at:
                    workflow.schedule(clip, request.user, at, confirm_takedown=True, note=comment, comment=comment)
                    done = _("Approved “%(clip)s”: scheduled for %(when)s KST.") % {
                        "clip": clip,
                        "when": f"{timezone.localtime(at):%Y-%m-%d %H:%M}",
                    }
                elif decision == "approve":
                    workflow.approve(clip, request.user, comment)
                    if clip.is_published():
                        done = _("Approved “%(clip)s”: published.") % {"clip": clip}
                    else:
                        done = _("Approved “%(clip)s”: scheduled.") % {"clip": clip}
                elif decision == "send_back":
                    workflow.send_back(clip, request.user, comment)
                    done = _("Sent “%(clip)s” back to its editor with your comment.") % {"clip": clip}
                else:
                    workflow.discard_draft(clip, request.user)
                    done = _("Discarded the unpublished changes of “%(clip)s”.") % {"clip": clip}
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(back_url)
