"""Every clip has a base revision, so the version it started with can always be restored."""

import importlib
import io

from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse

from news.models import NewsClip
from news.publishing import workflow
from projects.models import Department
from tests.helpers import post_change

base_revisions_migration = importlib.import_module("news.migrations.0017_base_revisions")


def test_the_seed_clip_loads_with_a_base_revision_of_its_text(seeded):
    base = seeded.revisions.get()
    assert base.data == workflow.snapshot(seeded)
    assert base.user is None and not base.pending


def test_loading_the_seed_again_adds_no_second_base_revision(seeded):
    call_command("load_seed", stdout=io.StringIO())
    assert seeded.revisions.count() == 1


def test_the_seed_clips_original_is_restorable_after_a_published_edit(seeded, publisher):
    original_title = seeded.title
    response = post_change(publisher, seeded, step="publish", title="A new headline")
    assert response.status_code == 302
    seeded.refresh_from_db()
    assert seeded.title == "A new headline"

    base = seeded.revisions.order_by("created", "id").first()
    assert base.data["title"] == original_title
    publisher.post(reverse("admin:news_newsclip_restore", args=[seeded.pk, base.pk]))
    workflow.publish(NewsClip.objects.get(pk=seeded.pk), publisher.user)
    seeded.refresh_from_db()
    assert seeded.title == original_title
    assert original_title in publisher.get(seeded.get_absolute_url()).content.decode()


def test_the_migration_records_what_the_code_would_for_a_clip_without_history(
    make_clip, make_photo, make_project, make_attachment
):
    clip = make_clip(title="Written before revisions", contact_title="Press officer")
    clip.department = Department.objects.create(name="Press Office")
    clip.save()
    clip.projects.add(make_project())
    make_photo(clip, caption="A photo")
    make_attachment(clip)
    old = make_clip(title="Already has history")
    workflow.record(old, None, "saved")

    base_revisions_migration.add_base_revisions(django_apps, None)

    assert clip.revisions.get().data == workflow.snapshot(clip)
    assert clip.revisions.get().created == NewsClip.objects.get(pk=clip.pk).updated
    assert old.revisions.count() == 1, "a clip that has history is left alone"
