"""Apps import downward only: core <- projects <- policies <- news <- gwangju_site."""

import ast
from pathlib import Path

import pytest

from news.models import Attachment, ClipImage, NewsClip
from projects.models import Milestone, Project

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "projects", "policies", "news", "gwangju_site"]


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield top


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    wrong = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path in (ROOT / app).rglob("*.py")
        for other in imported_apps(path)
        if other not in allowed
    }
    assert wrong == set()


def test_core_has_no_models_of_its_own():
    from django.apps import apps

    assert list(apps.get_app_config("core").get_models()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parent", "relation"), [(NewsClip, "images"), (NewsClip, "attachments"), (Project, "milestones")]
)
def test_ordered_children_are_read_without_joining_their_parent(parent, relation):
    sql = str(getattr(parent(pk=1), relation).all().query)
    assert "JOIN" not in sql.upper()
    assert "position" in sql


def test_children_order_by_position():
    for model in (ClipImage, Attachment, Milestone):
        assert model._meta.ordering[0] == "position"
