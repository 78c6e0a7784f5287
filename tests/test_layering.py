"""Apps import downward only: core <- projects <- policies <- news <- gwangju_site; inside news, the
job packages (publishing, files, links, search) stand on news.models and core, never on each other, and
public and the admin sit on top. A lower layer does not reach a higher one by duck typing either."""

import ast
from pathlib import Path

import pytest

from news.models import Attachment, ClipImage, NewsClip
from projects.models import Milestone, Project

ROOT = Path(__file__).resolve().parents[1]
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


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)  # from news import search
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path.relative_to(ROOT)}: relative import; write imports in full")


def news_part(module):
    """The part of news a module belongs to ("models", "files", "library", ...), or None for news itself."""
    parts = module.split(".")
    if parts[0] != "news" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in NEWS_PARTS else None


# What each part of news may import from news, besides itself.
NEWS_PARTS = {
    "models": set(),
    "publishing": {"models"},
    "files": {"models"},
    "search": {"models"},
    "links": {"models"},
    "library": {"models", "publishing", "files", "search"},
    "public": {"models", "publishing", "files", "search", "links"},
    "admin": {"models", "publishing", "files", "search", "links", "public", "library"},
}


def news_files(part):
    folder = ROOT / "news" / part
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [ROOT / "news" / f"{part}.py"]


@pytest.mark.parametrize("part", NEWS_PARTS)
def test_a_part_of_news_imports_only_the_parts_below_it(part):
    allowed = NEWS_PARTS[part] | {part}
    wrong = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in news_files(part)
        for module in imported_modules(path)
        if news_part(module) not in allowed | {None}
    }
    assert wrong == set()


def test_news_keeps_only_its_glue_flat_beside_its_parts():
    flat = {path.name for path in (ROOT / "news").glob("*.py")}
    assert flat <= {"__init__.py", "apps.py", "urls.py", "search.py", "admin.py"}


def test_generic_http_code_imports_nothing_of_the_site():
    wrong = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "core" / "http").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in LAYERS and not module.startswith("core.http")
    }
    assert wrong == set()


def _defined_names(paths):
    """Every name code in `paths` defines: functions, classes, assigned names and attributes."""
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names


def _looked_up_by_name(paths):
    """(path, name) for each hasattr/getattr/setattr of a literal attribute name in `paths`."""
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"hasattr", "getattr", "setattr"}
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                yield path, node.args[1].value


def _code(*folders):
    return [path for folder in folders for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        (["core"], ["projects", "policies", "news", "gwangju_site"]),
        (["news/models"], ["news/publishing", "news/files", "news/public", "news/admin"]),
        (["news/publishing"], ["news/files", "news/public", "news/admin"]),
        (["news/files"], ["news/publishing", "news/public", "news/admin"]),
    ],
)
def test_a_lower_layer_speaks_no_protocol_only_a_higher_one_defines(lower, higher):
    """hasattr(form, "keep_checked_files") in core is an import of news the import rule cannot see."""
    own = _defined_names(_code(*lower))
    theirs = _defined_names(_code(*higher)) - own
    wrong = {
        f"{path.relative_to(ROOT)} looks up {name!r}"
        for path, name in _looked_up_by_name(_code(*lower))
        if name in theirs
    }
    assert wrong == set()


@pytest.mark.parametrize("app", LAYERS)
def test_migrations_carry_frozen_copies_instead_of_importing_app_code(app):
    """What a migration does must not change with today's code. The one exception is Django's own:
    a field's upload_to/storage callable is referenced as `<app>.models.<name>`."""
    wrong = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / app / "migrations").glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in LAYERS and module != f"{app}.models"
    }
    assert wrong == set()


def test_core_has_no_content_models():
    """core's tables are bookkeeping, not content: the request ids that make a retried
    request count once (core.counting), and each staff member's language (core.i18n)."""
    from django.apps import apps

    assert [model.__name__ for model in apps.get_app_config("core").get_models()] == [
        "CountedRequest",
        "StaffPreference",
    ]


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
