"""make backup / make restore: a backup restored into a new database and folder is the same site."""

import hashlib
import subprocess
import uuid

import pytest

from tests.conftest import SEED_SLUG

from .conftest import ROOT, _read_keyvalues

pytestmark = pytest.mark.integration

RENDER = (
    "from django.test import Client; import sys; "
    "sys.stdout.write(Client().get('/news/{slug}/', HTTP_HOST='127.0.0.1', secure=True).content.decode())"
)


def _make(*args):
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _files(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def _render(env, slug):
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", RENDER.format(slug=slug)],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.fixture
def new_arrangement(site, tmp_path):
    """An env file naming a new, empty database, files folder and cache database."""
    name = f"gwangju_restore_{uuid.uuid4().hex[:8]}"
    with site.db() as connection:
        connection.execute(f"CREATE DATABASE {name}")
    env = {
        **site.env,
        "DATABASE_URL": site.env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name,
        "REDIS_URL": site.env["REDIS_URL"].rsplit("/", 1)[0] + "/6",
        "PROTECTED_MEDIA_ROOT": str(tmp_path / "protected"),
        "PDF_CACHE_ROOT": str(tmp_path / "pdf-cache"),
    }
    env_file = tmp_path / "env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    yield env_file
    with site.db() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_restores_into_a_new_database_and_folder_as_the_same_site(site, tmp_path, new_arrangement):
    backup = _make("backup", f"BACKUP_DIR={tmp_path}")
    assert backup.returncode == 0, backup.stderr
    (archive,) = tmp_path.glob("gwangju-*.tar")
    original = _render(site.env, SEED_SLUG)

    restore = _make("restore", f"ARCHIVE={archive}", f"ENV_FILE={new_arrangement}")

    assert restore.returncode == 0, restore.stderr
    assert "checksums and counts match" in restore.stdout
    restored_env = _read_keyvalues(new_arrangement)
    assert _files(tmp_path / "protected") == _files(ROOT / "var" / "prod" / "protected")
    for table in ("news_newsclip", "news_attachment", "news_clipimage", "projects_project", "auth_user"):
        count = f"SELECT count(*) FROM {table}"
        with site.db() as connection:
            expected = connection.execute(count).fetchone()[0]
        assert subprocess.run(
            ["psql", restored_env["DATABASE_URL"], "-tAc", count], capture_output=True, text=True, check=True
        ).stdout.strip() == str(expected)
    # The same page, to the view count (each render counts one view, in its own database).
    assert _render(restored_env, SEED_SLUG) == original
