"""The production arrangement (make prod-up), driven over HTTPS through nginx only.

deploy/prod.sh writes var/prod/arrangement: the site's address, one nginx port
pinned to each app instance (so a test can say "on A" and "on B" and still go
through nginx), and the certificate to trust. When the arrangement is not
running, every test here is skipped with the reason.
"""

import hashlib
import io
import os
import re
import subprocess
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests

from tests.helpers import clip_form_data

ROOT = Path(__file__).resolve().parents[2]
PROD_DIR = Path(os.environ.get("PROD_DIR", ROOT / "var" / "prod"))
PROD_SH = ROOT / "deploy" / "prod.sh"


def _read_keyvalues(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and line[0] != "#")


@dataclass
class Arrangement:
    url: str
    http_url: str
    url_a: str
    url_b: str
    app_port_a: str
    app_port_b: str
    ca_file: str
    download_connections_per_ip: int
    env: dict
    admin_password: str

    def session(self):
        session = requests.Session()
        # Not the machine's CA bundle or proxies (REQUESTS_CA_BUNDLE would win over `verify`).
        session.trust_env = False
        session.verify = self.ca_file
        return session

    def db(self):
        return psycopg.connect(self.env["DATABASE_URL"], autocommit=True)

    def scalar(self, sql, *params):
        with self.db() as connection:
            return connection.execute(sql, params).fetchone()[0]

    def views(self, slug):
        return self.scalar("SELECT view_count FROM news_newsclip WHERE slug = %s", slug)

    def downloads(self, pk):
        return self.scalar("SELECT download_count FROM news_attachment WHERE id = %s", pk)

    def prod(self, *args):
        subprocess.run([str(PROD_SH), *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def site():
    info_file = PROD_DIR / "arrangement"
    if not info_file.exists():
        pytest.skip(f"the production arrangement is not running ({info_file} missing): run make prod-up first")
    info = _read_keyvalues(info_file)
    arrangement = Arrangement(
        url=info["URL"],
        http_url=info["HTTP_URL"],
        url_a=info["URL_A"],
        url_b=info["URL_B"],
        app_port_a=info["APP_PORT_A"],
        app_port_b=info["APP_PORT_B"],
        ca_file=info["CA_FILE"],
        download_connections_per_ip=int(info["DOWNLOAD_CONNECTIONS_PER_IP"]),
        env=_read_keyvalues(PROD_DIR / "env"),
        admin_password=(PROD_DIR / "admin-password").read_text().strip(),
    )
    try:
        health = arrangement.session().get(arrangement.url + "/healthz", timeout=5)
    except requests.exceptions.SSLError:
        raise
    except requests.ConnectionError as error:
        pytest.skip(f"the production arrangement does not answer at {arrangement.url} ({error}): run make prod-up")
    assert health.status_code == 200, health.text
    return arrangement


def login(site, base, username="admin", password=None, session=None):
    """Log in to the admin through nginx at `base`; the session cookie works on every port."""
    session = session or site.session()
    page = session.get(base + "/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base + "/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password or site.admin_password},
        headers={"Referer": base + "/admin/login/"},
        timeout=10,
        allow_redirects=False,
    )
    return session, response


def csrf_token(session, url):
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def admin_post(session, base, path, data, files=None):
    token = csrf_token(session, base + path)
    return session.post(
        base + path,
        data={**data, "csrfmiddlewaretoken": token},
        files=files,
        headers={"Referer": base + path},
        timeout=120,
        allow_redirects=False,
    )


def zip_of(name, data):
    """A ZIP holding one file, stored (not deflated): its size is the size of `data`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def lock_token(session, base, clip_id):
    """The change form's optimistic-lock token: a save must show it has seen the latest revision."""
    form = session.get(f"{base}/admin/news/newsclip/{clip_id}/change/", timeout=30).text
    found = re.search(r'name="lock_token" value="([^"]*)"', form)
    return found[1] if found else ""


@dataclass
class PublishedClip:
    slug: str
    attachments: list  # (id, original name, bytes)


def publish_clip(site, session, base, files, **fields):
    """Create a published clip with attachments through the admin at `base`."""
    # The database outlives test runs: a fresh slug each time.
    fields.setdefault("slug", f"integration-{uuid.uuid4().hex[:12]}")
    # "Publish now": the admin's plain Save keeps a new clip as a draft (news.publishing.workflow).
    data = clip_form_data(attachments=[{"title": name} for name, _ in files], _workflow="publish", **fields)
    uploads = {f"attachments-{index}-file": (name, content) for index, (name, content) in enumerate(files)}
    response = admin_post(session, base, "/admin/news/newsclip/add/", data, files=uploads)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    slug = data["slug"]
    with site.db() as connection:
        rows = connection.execute(
            "SELECT a.id, a.original_name FROM news_attachment a JOIN news_newsclip c ON c.id = a.clip_id "
            "WHERE c.slug = %s ORDER BY a.position, a.id",
            (slug,),
        ).fetchall()
    contents = dict(files)
    return PublishedClip(slug=slug, attachments=[(pk, name, contents[name]) for pk, name in rows])


@pytest.fixture(scope="session")
def admin_a(site):
    session, response = login(site, site.url_a)
    assert response.status_code == 302 and "sessionid" in session.cookies
    return session


@pytest.fixture(scope="session")
def large_clip(site, admin_a):
    """A published clip whose attachment is an 8 MB ZIP, for the ZIP download tests."""
    data = os.urandom(8 * 1024 * 1024)
    return publish_clip(site, admin_a, site.url_a, [("대용량_자료.zip", zip_of("data.bin", data))])


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def host_port(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port
