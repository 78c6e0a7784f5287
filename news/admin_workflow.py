"""The publishing workflow in the clip admin: state label and filter, the workflow buttons,
drafts of live clips, review, revisions (compare, restore), previews and optimistic locking.

The rules live in `news.workflow`; this module turns requests into its steps and checks
who may take them. Publishing, scheduling and unpublishing need `news.publish_newsclip`,
whichever route asks (button, bulk action, review queue).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.rich_text import sanitise

from . import workflow
from .models import Attachment, ClipImage, ClipRevision, NewsClip
from .revision_diff import compare
from .uploads import files_follow_transaction
from .views import clip_page_context

Status = NewsClip.Status
PUBLISHER_STEPS = {"publish", "schedule", "unpublish"}
STEPS = {"save", "submit", *PUBLISHER_STEPS}


def requested_step(request):
    """The workflow button pressed; the admin's own Save buttons save (a draft, for a clip on the site)."""
    step = request.POST.get("_workflow", "save")
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
            return format_html('<span class="clip-state clip-state-unpublished">Expired</span>')
        return format_html(
            '<span class="clip-state clip-state-unpublished">Expired · {} KST</span>',
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
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("review", "In review"), ("draft_pending", "Live with unpublished changes")]

    def queryset(self, request, queryset):
        now = timezone.now()
        on_site = queryset.filter(status__in=NewsClip.ON_SITE_STATUSES)
        match self.value():
            case Status.DRAFT:
                return queryset.filter(status=Status.DRAFT)
            case Status.SCHEDULED:
                return on_site.filter(publish_at__gt=now)
            case Status.PUBLISHED:
                return queryset.published(now)
            case Status.UNPUBLISHED:
                return queryset.filter(status=Status.UNPUBLISHED) | on_site.filter(expires_at__lte=now)
            case "review":
                return queryset.filter(review=NewsClip.Review.REQUESTED)
            case "draft_pending":
                return queryset.filter(revisions__pending=True)
        return queryset


def workflow_form(base):
    """The clip form with the lock token and the take-down confirmation."""

    class WorkflowForm(base):
        lock_token = forms.IntegerField(required=False, widget=forms.HiddenInput)
        confirm_takedown = forms.BooleanField(required=False, label="Yes, take it off the site until then")

        def clean(self):
            cleaned = super().clean()
            clip = self.instance
            step = self.data.get("_workflow", "save")
            if clip.pk:
                current = workflow.lock_token(clip)
                # Lock the row so two saves cannot both pass this check (PostgreSQL).
                NewsClip.objects.select_for_update().filter(pk=clip.pk).first()
                if cleaned.get("lock_token") != current:
                    self.stale = (cleaned.get("lock_token"), current)
                    latest = clip.revisions.first()
                    who = f" by {latest.user or 'the scheduler'}" if latest else ""
                    raise forms.ValidationError(
                        f"This clip was changed{who} after you opened it, so your changes were not saved "
                        "(they would overwrite theirs). Compare the versions, then reload and make your changes again.",
                        code="stale",
                    )
            publish_at = cleaned.get("publish_at")
            if step == "schedule" and publish_at:
                if publish_at <= timezone.now():
                    self.add_error("publish_at", "To schedule, set a publish date in the future.")
                elif (
                    clip.pk
                    and NewsClip.objects.published().filter(pk=clip.pk).exists()
                    and not cleaned.get("confirm_takedown")
                ):
                    self.needs_confirmation = True
                    self.add_error(None, workflow.takedown_warning(publish_at))
            return cleaned

    return WorkflowForm


def draft_formset(formset, draft):
    """An inline formset showing the draft's photos or attachments (pending ones included,
    ones the draft removes left out), with the draft's captions and order."""

    class DraftFormSet(formset):
        def get_queryset(self):
            if not hasattr(self, "_draft_rows"):
                if self.model is ClipImage:
                    self._draft_rows = workflow.draft_photos(self.instance, draft.data)
                else:
                    self._draft_rows = workflow.draft_attachments(self.instance, draft.data)
            return self._draft_rows

    return DraftFormSet


class WorkflowAdminMixin:
    """For NewsClipAdmin: see the module docstring."""

    change_form_template = "admin/news/newsclip/workflow_change_form.html"
    actions = ["publish", "unpublish"]

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-workflow.css"]})

    # --- permissions ---------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return may_publish(request.user)

    def get_list_filter(self, request):
        return [StateFilter, *[f for f in super().get_list_filter(request) if f != "status"]]

    @admin.display(description="State", ordering="status")
    def status_display(self, obj):
        label = state_label(obj, with_time=False)
        if obj.review == NewsClip.Review.REQUESTED:
            return format_html('{} <span class="clip-review">In review</span>', label)
        if obj.review == NewsClip.Review.SENT_BACK:
            return format_html('{} <span class="clip-review clip-review-back">Sent back</span>', label)
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
            raise PermissionDenied("Only publishers may publish, schedule or unpublish clips.")
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
            context.update(
                clip_state=state_label(obj) if obj.draft is None else state_label(NewsClip.objects.get(pk=obj.pk)),
                clip_draft=obj.draft,
                clip_on_site=obj.is_on_site(),
                clip_live=NewsClip.objects.published().filter(pk=obj.pk).exists(),
                sent_back=workflow.sent_back_comment(obj),
                recent_revisions=obj.revisions.select_related("user")[:5],
            )
        context.update(may_publish=may_publish(request.user))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        request.workflow_step = requested_step(request)
        request.on_site = change and NewsClip.objects.filter(pk=obj.pk, status__in=NewsClip.ON_SITE_STATUSES).exists()
        if not request.on_site:
            # A clip off the site is edited in place; its status changes only through a step below.
            if not change:
                obj.status = Status.DRAFT
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        clip, user, step = form.instance, request.user, request.workflow_step
        if not request.on_site:
            super().save_related(request, form, formsets, change)
            if step == "publish":
                workflow.publish(clip, user)
            elif step == "schedule":
                workflow.schedule(clip, user, clip.publish_at)
            elif step == "unpublish":
                raise workflow.WorkflowError("Only a published or scheduled clip can be unpublished.")
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
                if formset.can_delete and formset._should_delete_form(row_form):
                    continue
                file_fields = {"image"} if formset.model is ClipImage else {"file", "pdf_version"}
                if row_form.instance.pk is None or file_fields & set(row_form.changed_data):
                    # A replaced file (or a new PDF version) becomes a new pending row: the live one keeps
                    # its files until publication, and a file both rows share outlives the live row.
                    # A new row goes through the formset, which places it after the others
                    # (django-admin-sortable2); a replaced file keeps its row's place.
                    is_new = row_form.instance.pk is None and hasattr(formset, "save_new")
                    row = formset.save_new(row_form, commit=False) if is_new else row_form.save(commit=False)
                    row.pk = None
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
        done = {
            "save": "Saved as a draft: the public still sees the live version."
            if request.on_site
            else "Saved. It is not public.",
            "submit": "Submitted for review: a publisher will approve it or send it back.",
            "publish": "Published: it is on the site now.",
            "schedule": "Scheduled.",
            "unpublish": "Unpublished: it is off the site.",
        }[request.workflow_step]
        messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:news_newsclip_change", args=[obj.pk]))

    # --- bulk actions ------------------------------------------------------------------

    def _bulk(self, request, queryset, step, done):
        count, failed = 0, []
        note = f"Bulk action on {queryset.count()} clip(s)"
        for clip in queryset:
            try:
                with transaction.atomic():
                    step(NewsClip.objects.select_for_update().get(pk=clip.pk), request.user, note=note)
                count += 1
            except workflow.WorkflowError as error:
                failed.append(f"“{clip}”: {error}")
        if count:
            self.message_user(request, f"{count} clip(s) {done}.", messages.SUCCESS)
        for message in failed:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Publish selected clips now (with their drafts)", permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(request, queryset, workflow.publish, "published")

    @admin.action(description="Unpublish selected clips", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._bulk(request, queryset.filter(status__in=NewsClip.ON_SITE_STATUSES), workflow.unpublish, "unpublished")

    # --- extra admin pages ---------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("preview/", view(self.preview_view), name="news_newsclip_preview_new"),
            path("<int:object_id>/preview/", view(self.preview_view), name="news_newsclip_preview"),
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
            photos, attachments = [], []
            for formset in formsets:
                formset.is_valid()
                for row_form in formset.forms:
                    row = row_form.instance
                    deleted = formset.can_delete and row_form.cleaned_data.get("DELETE")
                    # Files only exist once saved: a new upload shows after Save draft.
                    if row.pk and not deleted and not hasattr(row_form, "_checked") and not row_form.errors:
                        (photos if formset.model is ClipImage else attachments).append(row)
            transaction.set_rollback(True)
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
        banner = "Preview of unsaved changes — nothing has been saved."
        if form.errors:
            banner += " The form has errors: " + "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
        return self._page(
            request,
            preview,
            photos=sorted(photos, key=lambda p: (p.position, p.pk)),
            attachments=sorted(attachments, key=lambda a: (a.position, a.pk)),
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
            banner=f"Unpublished changes, saved {timezone.localtime(draft.created):%Y-%m-%d %H:%M} KST by "
            f"{draft.user or 'the scheduler'}. The public sees the live version until they are published.",
        )

    def revisions_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "clip": clip,
            "title": f"Revisions of “{clip}”",
            "revisions": clip.revisions.select_related("user"),
            "may_restore": self.has_change_permission(request, clip),
        }
        return TemplateResponse(request, "admin/news/newsclip/revisions.html", context)

    def compare_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id)
        revisions = clip.revisions.select_related("user")

        def version(key):
            if key == "live" or not key:
                return "The live version (the row as the public sees it)", workflow.snapshot(clip)
            revision = revisions.filter(pk=key).first() if key.isdigit() else None
            if revision is None:
                raise Http404("No such revision of this clip.")
            return str(revision), revision.data

        (a_label, a_data), (b_label, b_data) = version(request.GET.get("a")), version(request.GET.get("b"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "clip": clip,
            "title": f"Compare revisions of “{clip}”",
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
        kept = "as a draft; the public still sees the live version" if clip.is_on_site() else ""
        when = f"{timezone.localtime(revision.created):%Y-%m-%d %H:%M} KST"
        self.message_user(request, f"Restored the revision of {when} {kept}".strip() + ".")
        for item in lost:
            self.message_user(request, f"Not restored: {item}.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:news_newsclip_change", args=[clip.pk]))

    @method_decorator(require_POST)
    def review_view(self, request, object_id):
        clip = self._clip_or_404(request, object_id, permission="change")
        decision = request.POST.get("decision")
        comment = request.POST.get("comment", "")
        if decision not in {"approve", "send_back", "discard"}:
            return HttpResponseRedirect(reverse("admin:index"))
        if not may_publish(request.user):
            raise PermissionDenied("Only publishers may approve, send back or discard drafts.")
        try:
            with transaction.atomic():
                clip = NewsClip.objects.select_for_update().get(pk=clip.pk)
                if decision == "approve":
                    workflow.approve(clip, request.user, comment)
                    done = f"Approved “{clip}”: " + ("published." if clip.is_published() else "scheduled.")
                elif decision == "send_back":
                    workflow.send_back(clip, request.user, comment)
                    done = f"Sent “{clip}” back to its editor with your comment."
                else:
                    workflow.discard_draft(clip, request.user)
                    done = f"Discarded the unpublished changes of “{clip}”."
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        back = "admin:news_newsclip_change" if request.POST.get("next") == "clip" else None
        return HttpResponseRedirect(reverse(back, args=[clip.pk]) if back else reverse("admin:index"))
