#!/usr/bin/env python3
"""Back up and restore the site's state: the PostgreSQL database and the protected files.

    deploy/backup.py backup  --env-file /etc/gwangju/env --out /srv/backups
    deploy/backup.py restore --env-file /etc/gwangju/env ARCHIVE

One archive (`gwangju-YYYYmmdd-HHMMSS.tar`) holds `database.dump` (pg_dump's
custom format), `protected/` (photos and attachments, as stored) and
`manifest.json`: a SHA-256 of the dump and of every file, and the row count of
every table. Restore checks every checksum before it changes anything, restores
into the database and folder the env file names, then checks the row counts
and clears the cache (cached pages belong to the content before the restore).
Generated files (PDF cache, photo renditions, static files) are not kept: they
are made again on demand or by collectstatic.
"""

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1


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
        sys.exit("backup: DATABASE_URL must name a PostgreSQL database (the production database)")
    return url


def table_counts(url):
    tables = subprocess.run(
        ["psql", url, "-tAc", "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if not tables:
        return {}
    query = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM public.\"{name}\"" for name in tables)
    rows = subprocess.run(["psql", url, "-tAF", "\t", "-c", query], check=True, capture_output=True, text=True)
    return {name: int(count) for name, count in (line.split("\t") for line in rows.stdout.splitlines() if line)}


def backup(env, out_dir):
    url = postgres_url(env)
    protected = Path(env["PROTECTED_MEDIA_ROOT"])
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"gwangju-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database.dump"
        # One snapshot of the database; files are copied after it, so every row's
        # file is there (a file uploaded meanwhile is extra, never missing).
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", dump, url], check=True)
        counts = table_counts(url)
        files = {
            str(path.relative_to(protected)): {"sha256": sha256_of(path), "size": path.stat().st_size}
            for path in sorted(protected.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"file": "database.dump", "sha256": sha256_of(dump), "tables": counts},
            "files": files,
        }
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, "database.dump")
            for name in files:
                tar.add(protected / name, f"protected/{name}")
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, fileobj=io.BytesIO(data))
        partial.rename(archive)
    print(f"Backup written: {archive} ({len(files)} files, {sum(counts.values())} rows)")
    return archive


def restore(env, archive):
    url = postgres_url(env)
    protected = Path(env["PROTECTED_MEDIA_ROOT"])
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive) as tar:
        scratch = Path(scratch)
        tar.extractall(scratch, filter="data")  # no absolute paths, links out or devices
        manifest = json.loads((scratch / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            sys.exit(f"restore: {archive} is not a backup this script made")
        bad = [
            name
            for name, entry in manifest["files"].items()
            if not (scratch / "protected" / name).is_file()
            or sha256_of(scratch / "protected" / name) != entry["sha256"]
        ]
        if sha256_of(scratch / "database.dump") != manifest["database"]["sha256"]:
            bad.append("database.dump")
        if bad:
            sys.exit(f"restore: checksums do not match, nothing restored: {', '.join(bad[:10])}")

        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname", url,
             scratch / "database.dump"],
            check=True,
        )  # fmt: skip
        for name in manifest["files"]:
            target = protected / name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
            os.replace(scratch / "protected" / name, target)
            target.chmod(0o640)

    counts = table_counts(url)
    if counts != manifest["database"]["tables"]:
        differing = sorted(name for name in counts.keys() | manifest["database"]["tables"].keys()
                           if counts.get(name) != manifest["database"]["tables"].get(name))  # fmt: skip
        sys.exit(f"restore: row counts differ from the backup in {', '.join(differing)}")
    clear_cache(env)
    print(
        f"Restored {archive}: {len(manifest['files'])} files, {sum(counts.values())} rows, checksums and counts match"
    )


def clear_cache(env):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/"), **env},
        check=True,
        capture_output=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-file", default=str(ROOT / "var" / "prod" / "env"), help="the instances' environment")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("backup").add_argument("--out", type=Path, default=ROOT / "var" / "backups")
    commands.add_parser("restore").add_argument("archive", type=Path)
    args = parser.parse_args()
    env = read_env_file(args.env_file)
    if args.command == "backup":
        backup(env, args.out)
    else:
        restore(env, args.archive)


if __name__ == "__main__":
    main()
