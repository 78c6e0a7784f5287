#!/usr/bin/env python3
"""Back up and restore the site's state: the PostgreSQL database and the protected files.

    deploy/backup.py backup  --env-file /etc/gwangju/env --out /srv/backups [--keep 14]
    deploy/backup.py restore --env-file /etc/gwangju/env ARCHIVE

One archive (`gwangju-YYYYmmdd-HHMMSS.tar`, or `.tar.gpg` when encrypted) holds
`database.dump` (pg_dump's custom format), `protected/` (photos and attachments, as
stored) and `manifest.json`: a SHA-256 of the dump and of every file, and the row count
of every table, counted in the very snapshot pg_dump dumps (so a backup taken while
people log in or read is consistent with itself).

Left out on purpose: logged-in sessions and the login logs (django_session, axes_*):
a backup must not let whoever holds it take over an editor's session, and restoring
old sessions or lockouts makes no sense. Their tables are in the dump, empty.
Generated files (PDF cache, photo renditions, static files) are not kept either: they
are made again on demand or by collectstatic.

The archive is written 0600 in a 0700 folder; with BACKUP_PASSPHRASE_FILE (or
--passphrase-file) it is encrypted with gpg (AES-256) and only the `.tar.gpg` is kept.
`--keep N` (BACKUP_KEEP, default 14) keeps the newest N archives of the folder and
deletes older ones.

A restore never touches the live site until the backup has proved good: it checks
every name and checksum, restores into a NEW database and a NEW files folder beside the
live ones, compares every table's row count with the manifest, and only then switches:
the live database and folder are renamed aside (kept, for going back) and the new ones
take their names. Any failure before the switch removes what it made and changes
nothing; every refusal is one line on stderr and exit status 1.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 2
READABLE_FORMATS = {1, 2}
# Data never kept in a backup (sessions, login logs, the request ids of core.counting):
# pg_dump --exclude-table-data patterns.
EXCLUDED_DATA = ("django_session", "axes_*", "core_countedrequest")


class Refused(Exception):
    """A one-line reason to stop, nothing changed."""


def read_env_file(path):
    env = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip()
    return env


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def postgres_url(env):
    url = env.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise Refused("DATABASE_URL must name a PostgreSQL database (the production database)")
    return url


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def _excluded(table):
    return any(table == p or (p.endswith("*") and table.startswith(p[:-1])) for p in EXCLUDED_DATA)


def count_rows(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in tables:
        if _excluded(name):
            counts[name] = 0  # in the dump, empty
            continue
        cursor.execute(f'SELECT count(*) FROM public."{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _psycopg():
    try:
        import psycopg
    except ImportError:  # pragma: no cover - run with the project's .venv (make backup)
        raise Refused("needs psycopg: run it with .venv/bin/python (make backup / make restore)") from None
    return psycopg


def _private_folder(folder):
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)


def backup(env, out_dir, keep=14, passphrase_file=None):
    url = postgres_url(env)
    psycopg = _psycopg()
    protected = Path(env["PROTECTED_MEDIA_ROOT"])
    _private_folder(out_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    archive = out_dir / f"gwangju-{stamp}.tar"
    old_umask = os.umask(0o077)
    try:
        with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
            dump = Path(scratch) / "database.dump"
            # One snapshot for the dump and the counts: a transaction exports it, pg_dump
            # dumps exactly it, and the counts are taken in it while pg_dump runs.
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
                excluded = [f"--exclude-table-data={pattern}" for pattern in EXCLUDED_DATA]
                dumping = subprocess.Popen(
                    ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", *excluded,
                     "--file", dump, url],
                )  # fmt: skip
                with connection.cursor() as cursor:
                    counts = count_rows(cursor)
                if dumping.wait() != 0:
                    raise Refused(f"pg_dump failed (exit status {dumping.returncode}); no backup written")
                connection.execute("COMMIT")
            # Files are copied after the snapshot, so every row's file is there (a file
            # uploaded meanwhile is extra, never missing).
            files = {
                path.relative_to(protected).as_posix(): {"sha256": sha256_of(path), "size": path.stat().st_size}
                for path in sorted(protected.rglob("*"))
                if path.is_file() and not path.name.startswith(".ready-")
            }
            manifest = {
                "format": FORMAT,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": {
                    "file": "database.dump",
                    "sha256": sha256_of(dump),
                    "tables": counts,
                    "data_left_out": list(EXCLUDED_DATA),
                },
                "files": files,
            }
            partial = Path(scratch) / archive.name
            with tarfile.open(partial, "w") as tar:
                tar.add(dump, "database.dump")
                for name in files:
                    tar.add(protected / name, f"protected/{name}")
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(datetime.now(UTC).timestamp())
                tar.addfile(info, fileobj=io.BytesIO(data))
            if passphrase_file:
                encrypted = Path(scratch) / (archive.name + ".gpg")
                _gpg(["--symmetric", "--cipher-algo", "AES256", "--output", encrypted, partial], passphrase_file)
                partial, archive = encrypted, archive.with_name(archive.name + ".gpg")
            partial.chmod(0o600)
            os.replace(partial, archive)
    finally:
        os.umask(old_umask)
    removed = prune(out_dir, keep)
    print(
        f"Backup written: {archive} ({len(files)} files, {sum(counts.values())} rows; sessions and login logs left out)"
        + (f"; {len(removed)} older archive(s) removed (keeping {keep})" if removed else "")
    )
    return archive


def prune(out_dir, keep):
    """Keep the newest `keep` archives of the folder (0: keep all)."""
    if keep <= 0:
        return []
    archives = sorted(
        (p for p in out_dir.iterdir() if p.name.startswith("gwangju-") and p.name.endswith((".tar", ".tar.gpg"))),
        key=lambda p: p.name,
    )
    old = archives[:-keep]
    for path in old:
        path.unlink()
    return old


def _gpg(args, passphrase_file):
    if not shutil.which("gpg"):
        raise Refused("encryption needs gpg (Debian package gpg)")
    result = subprocess.run(
        ["gpg", "--batch", "--yes", "--quiet", "--pinentry-mode", "loopback", "--passphrase-file", passphrase_file,
         *args],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["gpg failed"])[-1]
        raise Refused(f"gpg: {last}")


def _safe_name(name):
    """A manifest or archive name that stays inside its folder: relative, no `..`, no empty part."""
    path = PurePosixPath(name)
    return (
        bool(name) and not path.is_absolute() and "\\" not in name and all(p not in {"", ".", ".."} for p in path.parts)
    )


def open_archive(archive, scratch, passphrase_file):
    """Check the archive's structure and unpack it into `scratch`; raises Refused."""
    if not archive.is_file():
        raise Refused(f"{archive}: no such file")
    if archive.name.endswith(".gpg"):
        if not passphrase_file:
            raise Refused(f"{archive} is encrypted: give BACKUP_PASSPHRASE_FILE or --passphrase-file")
        plain = scratch / "archive.tar"
        _gpg(["--decrypt", "--output", plain, archive], passphrase_file)
        archive = plain
    unpacked = scratch / "unpacked"
    unpacked.mkdir()
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()  # reads to the end: a truncated archive fails here
            for member in members:
                if not _safe_name(member.name) or not (member.isfile() or member.isdir()):
                    raise Refused(f"{archive}: refused, an entry is not a plain file inside it: {member.name!r}")
            tar.extractall(unpacked, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise Refused(f"{archive} is not a readable backup archive (broken or truncated: {error})") from None
    try:
        manifest = json.loads((unpacked / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise Refused(f"{archive} has no readable manifest.json ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") not in READABLE_FORMATS:
        raise Refused(f"{archive} is not a backup this script made")
    return unpacked, manifest


def verify(unpacked, manifest):
    files = manifest.get("files")
    database = manifest.get("database")
    if not isinstance(files, dict) or not isinstance(database, dict) or not isinstance(database.get("tables"), dict):
        raise Refused("the manifest is incomplete")
    outside = [name for name in files if not _safe_name(name)]
    if outside:
        names = ", ".join(map(repr, outside[:5]))
        raise Refused(f"refused: the manifest names files outside the files folder: {names}")
    bad = [
        name
        for name, entry in files.items()
        if not (unpacked / "protected" / name).is_file()
        or (unpacked / "protected" / name).is_symlink()
        or sha256_of(unpacked / "protected" / name) != entry.get("sha256")
    ]
    if not (unpacked / "database.dump").is_file() or sha256_of(unpacked / "database.dump") != database.get("sha256"):
        bad.append("database.dump")
    if bad:
        raise Refused(f"checksums do not match, nothing restored: {', '.join(bad[:10])}")


def _admin(url, *statements):
    psycopg = _psycopg()
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def restore(env, archive, passphrase_file=None):
    url = postgres_url(env)
    psycopg = _psycopg()
    protected = Path(env["PROTECTED_MEDIA_ROOT"])
    live_db = database_name(url)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    new_db, old_db = f"{live_db}_restoring_{stamp}", f"{live_db}_before_restore_{stamp}"
    new_folder = protected.with_name(f"{protected.name}.restoring-{stamp}")
    old_folder = protected.with_name(f"{protected.name}.before-restore-{stamp}")
    protected.parent.mkdir(parents=True, exist_ok=True)
    made_db = False
    try:
        with tempfile.TemporaryDirectory(dir=protected.parent, prefix=".restore-") as scratch:
            unpacked, manifest = open_archive(archive, Path(scratch), passphrase_file)
            verify(unpacked, manifest)

            # 1. A new database, beside the live one, filled and counted.
            _admin(url, f'CREATE DATABASE "{new_db}"')
            made_db = True
            result = subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", with_database(url, new_db),
                 unpacked / "database.dump"],
                capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode != 0:
                last = (result.stderr.strip().splitlines() or ["pg_restore failed"])[-1]
                raise Refused(f"the dump does not restore ({last}); nothing changed")
            with psycopg.connect(with_database(url, new_db)) as connection, connection.cursor() as cursor:
                counts = count_rows(cursor)
            expected = {name: count for name, count in manifest["database"]["tables"].items() if not _excluded(name)}
            got = {name: count for name, count in counts.items() if not _excluded(name)}
            if got != expected:
                differing = sorted(n for n in got.keys() | expected.keys() if got.get(n) != expected.get(n))
                raise Refused(f"row counts differ from the backup in {', '.join(differing)}; nothing changed")

            # 2. A new files folder, beside the live one.
            (unpacked / "protected").mkdir(exist_ok=True)
            for path in (unpacked / "protected").rglob("*"):
                path.chmod(0o750 if path.is_dir() else 0o640)
            os.replace(unpacked / "protected", new_folder)
            new_folder.chmod(0o750)

        # 3. The switch: the live database and folder are renamed aside, the new ones take their names.
        switch_databases(url, live_db, new_db, old_db)
        made_db = False
        if protected.exists():
            os.replace(protected, old_folder)
        os.replace(new_folder, protected)
    except Refused:
        _undo(url, new_db if made_db else None, new_folder)
        raise
    except (subprocess.SubprocessError, OSError, psycopg.Error) as error:
        _undo(url, new_db if made_db else None, new_folder)
        raise Refused(f"{type(error).__name__}: {error}; nothing changed".replace("\n", " ")) from None

    forget_cached_pages(env)
    print(
        f"Restored {archive}: {len(manifest['files'])} files, {sum(counts.values())} rows, checksums and counts match. "
        f"The previous database is kept as {old_db} and the previous files as {old_folder}: "
        "drop them once the site is checked (README, Operations)."
    )


def switch_databases(url, live_db, new_db, old_db):
    """Rename the live database aside and the new one into its place; on any failure put the
    live one back as it was. The instances' connections are closed: for a moment they answer
    the 503 page, then reconnect to the restored database."""
    terminate = f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{live_db}'"
    try:
        _admin(url, f'ALTER DATABASE "{live_db}" ALLOW_CONNECTIONS false', terminate)
        _admin(url, f'ALTER DATABASE "{live_db}" RENAME TO "{old_db}"')
    except Exception:
        _admin(url, f'ALTER DATABASE "{live_db}" ALLOW_CONNECTIONS true')
        raise
    try:
        _admin(url, f'ALTER DATABASE "{new_db}" RENAME TO "{live_db}"')
    except Exception:
        _admin(
            url,
            f'ALTER DATABASE "{old_db}" RENAME TO "{live_db}"',
            f'ALTER DATABASE "{live_db}" ALLOW_CONNECTIONS true',
        )
        raise


def _undo(url, new_db, new_folder):
    if new_db:
        try:
            _admin(url, f'DROP DATABASE IF EXISTS "{new_db}" WITH (FORCE)')
        except Exception:  # noqa: BLE001 - reported below by the caller's message
            print(f"restore: could not drop the unfinished database {new_db}; drop it by hand", file=sys.stderr)
    shutil.rmtree(new_folder, ignore_errors=True)


def forget_cached_pages(env):
    """Cached pages belong to the content before the restore: a new page-cache generation
    (nothing is flushed; Redis may be shared)."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from core.page_cache import bump_generation; bump_generation()"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/"), **env},
        check=False,
        capture_output=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-file", default=str(ROOT / "var" / "prod" / "env"), help="the instances' environment")
    parser.add_argument("--passphrase-file", help="encrypt/decrypt with gpg (default: BACKUP_PASSPHRASE_FILE)")
    commands = parser.add_subparsers(dest="command", required=True)
    backup_args = commands.add_parser("backup")
    backup_args.add_argument("--out", type=Path, default=ROOT / "var" / "backups")
    backup_args.add_argument("--keep", type=int, default=None, help="archives to keep (default BACKUP_KEEP or 14)")
    commands.add_parser("restore").add_argument("archive", type=Path)
    args = parser.parse_args()
    try:
        env = read_env_file(args.env_file)
        passphrase = args.passphrase_file or env.get("BACKUP_PASSPHRASE_FILE") or None
        if args.command == "backup":
            keep = args.keep if args.keep is not None else int(env.get("BACKUP_KEEP") or 14)
            backup(env, args.out, keep=keep, passphrase_file=passphrase)
        else:
            restore(env, args.archive, passphrase_file=passphrase)
    except Refused as refusal:
        sys.exit(f"{args.command}: " + " ".join(str(refusal).split()))  # one line, always
    except (OSError, KeyError) as error:
        sys.exit(f"{args.command}: {type(error).__name__}: {error}")


if __name__ == "__main__":
    main()
