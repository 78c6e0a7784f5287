"""The two newsroom roles, and scheduled clips recorded as such.

Editors write drafts and submit them for review; Publishers also publish, schedule,
unpublish and delete. Both need to view projects, objectives and achievements to link them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q
from django.utils import timezone

EDITORS = "Editors"
PUBLISHERS = "Publishers"
CONTENT = ["newsclip", "clipimage", "attachment"]
LINKED = [("projects", "project"), ("policies", "objective"), ("policies", "achievement")]


def _codenames(actions, models):
    return [f"{action}_{model}" for model in models for action in actions]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        query = Q(pk__in=[])
        for app_label, codename in pairs:
            query |= Q(content_type__app_label=app_label, codename=codename)
        return Permission.objects.filter(query)

    editor = [("news", c) for c in _codenames(["add", "change", "view"], CONTENT)]
    # Removing a photo or attachment from a draft is a row delete for the inline form.
    editor += [("news", c) for c in _codenames(["delete"], ["clipimage", "attachment"])]
    editor += [(app, f"view_{model}") for app, model in LINKED]
    publisher = [*editor, ("news", "delete_newsclip"), ("news", "publish_newsclip")]
    for name, pairs in ((EDITORS, editor), (PUBLISHERS, publisher)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(pairs))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, PUBLISHERS]).delete()


def record_scheduled(apps, schema_editor):
    NewsClip = apps.get_model("news", "NewsClip")
    NewsClip.objects.filter(status="published", publish_at__gt=timezone.now()).update(status="scheduled")


def forget_scheduled(apps, schema_editor):
    NewsClip = apps.get_model("news", "NewsClip")
    NewsClip.objects.filter(status="scheduled").update(status="published")
    NewsClip.objects.filter(status="unpublished").update(status="draft")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_workflow_states_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("projects", "0002_meta_ordering_by_position"),
        ("policies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(record_scheduled, forget_scheduled),
    ]
