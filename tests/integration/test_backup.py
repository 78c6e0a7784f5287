"""make backup / make restore: a backup restored into a new database and folder is the same site."""

import hashlib
import io
import json
import re
import subprocess
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers import SEED_SLUG

from .conftest import ROOT, _read_keyvalues, login

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
        # The database, and the copy a restore keeps of what it replaced.
        for (other,) in connection.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s", (name, f"{name}\\_%")
        ).fetchall():
            connection.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')


def test_a_backup_restores_into_a_new_database_and_folder_as_the_same_site(site, tmp_path, new_arrangement):
    backup = _make("backup", f"BACKUP_DIR={tmp_path}")
    assert backup.returncode == 0, backup.stderr
    (archive,) = tmp_path.glob("gwangju-*.tar")
    original = _render(site.env, SEED_SLUG)

    restore = _make("restore", f"ARCHIVE={archive}", f"ENV_FILE={new_arrangement}")

    assert restore.returncode == 0, restore.stderr
    assert "checksums and counts match" in restore.stdout
    # Private: 0600 in a 0700 folder.
    assert (archive.stat().st_mode & 0o777, tmp_path.stat().st_mode & 0o777) == (0o600, 0o700)
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


def _databases(site, prefix):
    with site.db() as connection:
        rows = connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",)).fetchall()
    return sorted(row[0] for row in rows)


def _tables(env):
    rows = subprocess.run(
        ["psql", env["DATABASE_URL"], "-tAc", "SELECT count(*) FROM news_newsclip"], capture_output=True, text=True
    )
    return rows.stdout.strip() if rows.returncode == 0 else rows.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def archive_taken_while_people_log_in(site, tmp_path_factory):
    """A backup taken while readers log in to the admin (sessions and login logs change)."""
    folder = tmp_path_factory.mktemp("backups")
    stop = threading.Event()
    logins = []

    def log_in_and_out():
        while not stop.is_set():
            session, response = login(site, site.url)
            logins.append(response.status_code)
            session.get(site.url + "/admin/", timeout=10)

    threads = [threading.Thread(target=log_in_and_out) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        backup = _make("backup", f"BACKUP_DIR={folder}")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert backup.returncode == 0, backup.stderr
    assert logins.count(302) >= 4, logins
    (archive,) = folder.glob("gwangju-*.tar")
    return archive


def test_a_backup_taken_while_people_log_in_restores_without_their_sessions(
    site, archive_taken_while_people_log_in, new_arrangement
):
    restore = _make("restore", f"ARCHIVE={archive_taken_while_people_log_in}", f"ENV_FILE={new_arrangement}")

    assert restore.returncode == 0, restore.stderr
    restored = _read_keyvalues(new_arrangement)
    with site.db() as connection:
        assert connection.execute("SELECT count(*) FROM django_session").fetchone()[0] > 0
    for table in ("django_session", "axes_accesslog", "axes_accessattempt"):
        count = subprocess.run(
            ["psql", restored["DATABASE_URL"], "-tAc", f"SELECT count(*) FROM {table}"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        assert count == "0", table  # left out of the backup: nobody's session travels with it


def _tampered(archive, folder, change):
    """A copy of `archive` with its manifest changed by `change(manifest, add)`."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    manifest = json.loads(members.pop("manifest.json"))
    extra = {}
    change(manifest, extra)
    out = folder / ("tampered-" + archive.name)
    with tarfile.open(out, "w") as tar:
        for name, data in [*members.items(), *extra.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def _escape_to_env(manifest, extra):
    data = b"SECRET_KEY=stolen\n"
    extra["env"] = data  # unpacks beside protected/, where protected/../env points
    manifest["files"]["../env"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _wrong_count(manifest, extra):
    manifest["database"]["tables"]["news_newsclip"] += 1


@pytest.mark.parametrize(
    "damage", ["a manifest name leaving the folder", "row counts that do not match", "truncated", "not an archive"]
)
def test_a_refused_archive_changes_nothing_on_a_live_site(
    site, archive_taken_while_people_log_in, new_arrangement, tmp_path, damage
):
    archive = archive_taken_while_people_log_in
    assert _make("restore", f"ARCHIVE={archive}", f"ENV_FILE={new_arrangement}").returncode == 0  # a live site
    env = _read_keyvalues(new_arrangement)
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    protected = Path(env["PROTECTED_MEDIA_ROOT"])
    env_text = new_arrangement.read_text()
    files_before, clips_before, databases_before = _files(protected), _tables(env), _databases(site, name)
    if damage == "a manifest name leaving the folder":
        bad = _tampered(archive, tmp_path, _escape_to_env)
    elif damage == "row counts that do not match":
        bad = _tampered(archive, tmp_path, _wrong_count)
    elif damage == "truncated":
        bad = tmp_path / "truncated.tar"
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:
        bad = tmp_path / "notes.tar"
        bad.write_text("not a backup")

    restore = _make("restore", f"ARCHIVE={bad}", f"ENV_FILE={new_arrangement}")

    assert restore.returncode != 0
    message = [line for line in restore.stderr.strip().splitlines() if not re.match(r"make(\[\d+\])?: ", line)]
    assert len(message) == 1 and message[0].startswith("restore: "), restore.stderr  # one line, no traceback
    assert {
        "a manifest name leaving the folder": "outside the files folder",
        "row counts that do not match": "row counts differ",
        "truncated": "broken or truncated",
        "not an archive": "broken or truncated",
    }[damage] in message[0]
    assert new_arrangement.read_text() == env_text
    assert _files(protected) == files_before
    assert _tables(env) == clips_before
    assert _databases(site, name) == databases_before  # no half-made database left behind
    assert not list(protected.parent.glob("*.restoring-*"))


def test_an_encrypted_backup_restores_only_with_its_passphrase(site, tmp_path, new_arrangement):
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("correct horse battery staple\n")
    python = str(ROOT / ".venv" / "bin" / "python")
    env_file = str(ROOT / "var" / "prod" / "env")
    backup = subprocess.run(
        [python, "deploy/backup.py", "--env-file", env_file, "--passphrase-file", passphrase, "backup",
         "--out", tmp_path / "out"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    (archive,) = (tmp_path / "out").glob("gwangju-*.tar.gpg")
    assert not list((tmp_path / "out").glob("*.tar"))  # no plain copy kept
    assert not tarfile.is_tarfile(archive)

    without = _make("restore", f"ARCHIVE={archive}", f"ENV_FILE={new_arrangement}")
    wrong = tmp_path / "wrong"
    wrong.write_text("wrong\n")
    with_wrong = subprocess.run(
        [python, "deploy/backup.py", "--env-file", new_arrangement, "--passphrase-file", wrong, "restore", archive],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    right = subprocess.run(
        [python, "deploy/backup.py", "--env-file", new_arrangement, "--passphrase-file", passphrase,
         "restore", archive],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert without.returncode != 0 and "encrypted" in without.stderr
    assert with_wrong.returncode != 0 and len(with_wrong.stderr.strip().splitlines()) == 1
    assert right.returncode == 0, right.stderr


def test_backups_beyond_the_retention_are_removed(site, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for stamp in ("20200101-000000", "20200102-000000", "20200103-000000"):
        (out / f"gwangju-{stamp}.tar").write_text("old")
    (out / "notes.txt").write_text("not an archive")
    python = str(ROOT / ".venv" / "bin" / "python")
    backup = subprocess.run(
        [python, "deploy/backup.py", "--env-file", str(ROOT / "var" / "prod" / "env"), "backup", "--out", out,
         "--keep", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert backup.returncode == 0, backup.stderr
    archives = sorted(p.name for p in out.glob("gwangju-*.tar"))
    assert len(archives) == 2 and archives[0] == "gwangju-20200103-000000.tar"  # the newest two
    assert "2 older archive(s) removed (keeping 2)" in backup.stdout
    assert (out / "notes.txt").exists()
