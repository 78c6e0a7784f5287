"""What nginx answers itself: security headers everywhere, bad hosts, oversize bodies, addresses."""

import json
import socket
import ssl
import subprocess

import pytest

from tests.helpers import SEED_SLUG

from .conftest import PROD_DIR, ROOT, host_port

pytestmark = pytest.mark.integration


def _static_paths():
    manifest = json.loads((PROD_DIR / "static" / "staticfiles.json").read_text())["paths"]
    return manifest["css/site.css"]


RESPONSE_TYPES = {
    "page": lambda site: site.url + "/",
    "cached clip page": lambda site: f"{site.url}/news/{SEED_SLUG}/",
    "health check": lambda site: site.url + "/healthz",
    "feed": lambda site: site.url + "/news/feed/",
    "attachment by nginx": lambda site: f"{site.url}/news/{SEED_SLUG}/attachments/1/",
    "zip": lambda site: f"{site.url}/news/{SEED_SLUG}/attachments.zip",
    "pdf": lambda site: f"{site.url}/news/{SEED_SLUG}/page.pdf",
    "photo": lambda site: f"{site.url}/news/{SEED_SLUG}/photos/1/small/",
    "hashed static file": lambda site: f"{site.url}/static/{_static_paths()}",
    "static file": lambda site: site.url + "/static/css/site.css",
    "django 404": lambda site: site.url + "/news/no-such-clip/",
    "nginx 404 (internal location)": lambda site: site.url + "/_protected/news/anything.pdf",
    "static 404": lambda site: site.url + "/static/no-such-file.css",
    "admin": lambda site: site.url + "/admin/login/",
}


@pytest.mark.parametrize("kind", RESPONSE_TYPES)
def test_security_headers_on_every_response_type(site, kind):
    response = site.session().get(RESPONSE_TYPES[kind](site), timeout=60, allow_redirects=False)

    assert response.status_code in {200, 404}
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "," not in headers["Content-Security-Policy"]  # one policy, not the app's and nginx's
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Server"] == "nginx"  # no version


def test_hashed_static_files_are_cached_for_a_year_and_served_compressed(site):
    response = site.session().get(f"{site.url}/static/{_static_paths()}", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"


def _raw(site, request, url=None):
    """Send bytes as they are (for requests a client library would refuse to make)."""
    host, port = host_port(url or site.url)
    context = ssl.create_default_context(cafile=site.ca_file)
    with (
        socket.create_connection((host, port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=host) as conn,
    ):
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def test_plain_http_redirects_to_https_without_hsts(site):
    response = site.session().get(f"{site.http_url}/news/?page=2", allow_redirects=False, timeout=10)
    health = site.session().get(f"{site.http_url}/healthz", timeout=10)  # for a load balancer

    assert response.status_code == 301
    assert response.headers["Location"] == f"{site.url}/news/?page=2"
    assert "Strict-Transport-Security" not in response.headers  # HSTS means nothing over HTTP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert health.status_code == 200
    assert "," not in health.headers["Content-Security-Policy"]
    assert "," not in health.headers["X-Content-Type-Options"]


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", ""])
def test_a_request_for_another_host_never_reaches_the_app(site, host):
    status, headers, _ = _raw(site, f"GET /admin/login/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())

    assert status in {400, 404}
    assert "csrftoken" not in headers.get("Set-Cookie", "")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path, size",
    [("/feedback/", 2 * 1024 * 1024), ("/admin/news/newsclip/add/", 10 * 1024 * 1024 * 1024)],
    ids=["public form over 1 MB", "admin upload over the admin limit"],
)
def test_an_oversize_body_is_refused_by_nginx_before_it_is_sent(site, path, size):
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
    )
    status, headers, body = _raw(site, request.encode())

    assert status == 413
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert b"nginx/" not in body  # no version on error pages


def test_every_port_of_the_arrangement_listens_on_127_0_0_1_only(site):
    ports = {str(host_port(url)[1]) for url in (site.url, site.http_url, site.url_a, site.url_b)} | {
        site.app_port_a,
        site.app_port_b,
    }
    listening = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True, check=True).stdout.splitlines()
    addresses = {line.split()[3] for line in listening if line.split()[3].rsplit(":", 1)[1] in ports}

    assert {address.rsplit(":", 1)[1] for address in addresses} == ports
    assert {address.rsplit(":", 1)[0] for address in addresses} == {"127.0.0.1"}


def test_the_production_site_configuration_passes_nginx_t(tmp_path):
    """gwangju.conf as a server would use it (ports 80/443, its own certificate), checked by nginx."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=example",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {
        "PATH": "/usr/sbin:/usr/bin:/bin",
        "SERVER_NAME": "english.gwangju.go.kr",
        "NGINX_HTTP_LISTEN": "80",
        "NGINX_HTTPS_LISTEN": "443 ssl",
        "TLS_CERTIFICATE": str(tmp_path / "cert.pem"),
        "TLS_CERTIFICATE_KEY": str(tmp_path / "key.pem"),
        "NGINX_CONF_DIR": str(tmp_path),
        "NGINX_LOG_DIR": str(tmp_path),
        "STATIC_ROOT": "/srv/gwangju/static",
        "PROTECTED_MEDIA_ROOT": "/srv/gwangju/protected",
        "NGINX_TRUSTED_PROXIES": "10.0.0.0/8",
    }
    env["NGINX_EDGE_CACHE_DIR"] = str(tmp_path / "edge-cache")
    env["NGINX_EDGE_FILES_SOCKET"] = str(tmp_path / "edge-files.sock")
    for name in (
        "gwangju.conf",
        "gwangju-locations.conf",
        "gwangju-headers.conf",
        "gwangju-edge-http.conf",
        "gwangju-edge.conf",
    ):
        rendered = subprocess.run(
            ["python3", ROOT / "deploy" / "render.py", ROOT / "deploy" / "nginx" / name],
            env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        (tmp_path / name).write_text(rendered)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/gwangju.conf; }}\n"
    )

    check = subprocess.run(
        ["nginx", "-t", "-p", tmp_path, "-c", tmp_path / "nginx.conf", "-e", tmp_path / "error.log"],
        capture_output=True, text=True,
    )  # fmt: skip

    assert check.returncode == 0, check.stderr


def test_pages_feed_and_sitemap_come_gzipped_by_the_app_and_revalidate(site):
    """Compressed once, by the app (with its BREACH padding); nginx passes it on and the 304s through."""
    session = site.session()
    for path in ["/", f"/news/{SEED_SLUG}/", "/news/feed/", "/sitemap.xml"]:
        response = session.get(site.url + path, headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "gzip", path
        again = session.get(site.url + path, headers={"If-None-Match": response.headers["ETag"]}, timeout=30)
        assert again.status_code == 304, path


def test_admin_login_with_its_csrf_token_is_not_compressed(site):
    response = site.session().get(site.url + "/admin/login/", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert "csrfmiddlewaretoken" in response.text
    assert "Content-Encoding" not in response.headers


def test_permissions_policy_reaches_the_client(site):
    response = site.session().get(site.url + "/", timeout=30)
    assert "camera=()" in response.headers["Permissions-Policy"]


def _handshake(site, url, server_name, **context_settings):
    """The TLS version and cipher nginx agrees to with a client limited as given, or the refusal."""
    host, port = host_port(url)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    ciphers = context_settings.pop("ciphers", None)
    if ciphers:
        context.set_ciphers(ciphers + ":@SECLEVEL=0")  # let the client offer what it must not get
    for name, value in context_settings.items():
        setattr(context, name, value)
    try:
        with (
            socket.create_connection((host, port), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=server_name) as conn,
        ):
            return conn.version(), conn.cipher()[0]
    except ssl.SSLError as error:
        return "refused", error.reason


SOCKETS = {
    "site": lambda site: (site.url, "127.0.0.1"),
    "unknown host on the same socket": lambda site: (site.url, "scanner.example"),
    "instance A port": lambda site: (site.url_a, "127.0.0.1"),
}


@pytest.mark.parametrize("socket_name", SOCKETS)
def test_tls_is_mozilla_intermediate_on_every_server(site, socket_name):
    url, server_name = SOCKETS[socket_name](site)

    modern = _handshake(site, url, server_name, minimum_version=ssl.TLSVersion.TLSv1_3)
    tls12 = _handshake(site, url, server_name, maximum_version=ssl.TLSVersion.TLSv1_2)
    rsa_cbc = _handshake(site, url, server_name, maximum_version=ssl.TLSVersion.TLSv1_2, ciphers="AES128-SHA")

    assert modern[0] == "TLSv1.3"
    assert tls12[0] == "TLSv1.2" and tls12[1].startswith("ECDHE-")  # forward secret
    assert "GCM" in tls12[1] or "CHACHA20" in tls12[1]
    assert rsa_cbc[0] == "refused"  # no RSA key exchange, no CBC
