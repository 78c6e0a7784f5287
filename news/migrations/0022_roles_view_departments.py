"""Editors and Publishers may view departments, so the clip form's Department picker answers them.

The roles' migration (0006) let them view what a clip links to (projects, objectives, achievements)
but not the department every clip names: the admin's autocomplete answered them 403 and the picker
said "The results could not be loaded". Only a superuser could set a clip's department.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

# Frozen copy: the roles and what the clip form's pickers look up, as this migration grants them.
ROLES = ["Editors", "Publishers"]
VIEWED = [("projects", "department")]


def roles_view_departments(apps, schema_editor):
    # Permissions are normally created after all migrations; the grant needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    query = Q(pk__in=[])
    for app_label, model in VIEWED:
        query |= Q(content_type__app_label=app_label, codename=f"view_{model}")
    permissions = list(Permission.objects.filter(query))
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def roles_stop_viewing_departments(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    query = Q(pk__in=[])
    for app_label, model in VIEWED:
        query |= Q(content_type__app_label=app_label, codename=f"view_{model}")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(query))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0021_attachment_conversions"),
        ("projects", "0005_department"),
    ]

    operations = [
        migrations.RunPython(roles_view_departments, roles_stop_viewing_departments),
    ]
