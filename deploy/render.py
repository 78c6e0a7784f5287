#!/usr/bin/env python3
"""Render a deploy/ template with the environment: `${NAME}` (upper case) becomes its value.

Only upper-case `${NAME}` placeholders are replaced, so nginx's own `$host` or
`${var}` pass through untouched; a placeholder with no value is an error, never
an empty string in a config file. A few values are derived here from the
variables README.md documents (the upstream list, the HSTS header, the trusted
proxies), because a template cannot loop or branch.

    python3 deploy/render.py deploy/nginx/gwangju.conf > /etc/nginx/conf.d/gwangju.conf
"""

import os
import re
import sys

PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")

DEFAULTS = {
    "GUNICORN_HOST": "127.0.0.1",
    "GUNICORN_PORTS": "8001 8002",
    "GUNICORN_WORKERS": "2",
    "GUNICORN_THREADS": "4",
    "NGINX_ADMIN_MAX_BODY_SIZE": "220m",
    "NGINX_DOWNLOAD_CONNECTIONS_PER_IP": "64",
    "NGINX_LISTEN_BACKLOG": "4096",
    "NGINX_WORKER_CONNECTIONS": "16384",
    "NGINX_RLIMIT_NOFILE": "65536",
    "GUNICORN_DRAIN_PORTS": "",
    "LOG_FILE": "",
    "APP_LOG_DIR": "/var/log/gwangju",
    "METRICS_TOKEN": "",
    "NGINX_EDGE_CACHE_DIR": "/var/cache/nginx/gwangju-edge",
    "NGINX_EDGE_CACHE_MAX_SIZE": "1g",
    "NGINX_EDGE_FILES_SOCKET": "/run/nginx-gwangju-edge-files.sock",
    "NGINX_EDGE_SECONDS": "1",
    "NGINX_HTTPS_REDIRECT_PORT": "",  # ":8443" when HTTPS is not on port 443
    "NGINX_PROXY_MAX_TEMP_FILE_SIZE": "2048m",
    "NGINX_TRUSTED_PROXIES": "",
    "PROTECTED_MEDIA_INTERNAL_URL": "/_protected/",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "0",
}


def _on(value):
    return value.strip().lower() in {"1", "true", "yes", "on"}


def values(environ):
    env = {**DEFAULTS, **{k: v for k, v in environ.items() if v != "" or k not in DEFAULTS}}
    host = env["GUNICORN_HOST"]
    ports = env["GUNICORN_PORTS"].split()
    # max_fails=5 fail_timeout=5s: five failed attempts within 5 s take an instance out for
    # 5 s (a stopped one costs a few instantly retried connections); a burst or the app's own
    # 503 never does. GUNICORN_DRAIN_PORTS are marked down: nginx sends them nothing
    # (deploy/prod.sh restart drains one instance at a time this way).
    drained = set(env["GUNICORN_DRAIN_PORTS"].split())
    env["UPSTREAM_SERVERS"] = "\n    ".join(
        f"server {host}:{port} max_fails=5 fail_timeout=5s{' down' if port in drained else ''};" for port in ports
    )
    hsts = f"max-age={int(env['SECURE_HSTS_SECONDS'])}"
    if _on(env["SECURE_HSTS_INCLUDE_SUBDOMAINS"]):
        hsts += "; includeSubDomains"
    if _on(env["SECURE_HSTS_PRELOAD"]):
        hsts += "; preload"
    env["HSTS_VALUE"] = hsts
    proxies = [p.strip() for p in env["NGINX_TRUSTED_PROXIES"].split(",") if p.strip()]
    # Behind a load balancer, take the client address from the header it sets,
    # but only when the connection comes from that balancer.
    env["REAL_IP_CONFIG"] = (
        "".join(f"set_real_ip_from {p}; " for p in proxies) + "real_ip_header X-Forwarded-For; real_ip_recursive on;"
        if proxies
        else "# no load balancer in front: $remote_addr is the client"
    )
    env["PROTECTED_MEDIA_INTERNAL_URL"] = "/" + env["PROTECTED_MEDIA_INTERNAL_URL"].strip("/") + "/"
    return env


def render(text, environ=None):
    env = values(os.environ if environ is None else environ)
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in env})
    if missing:
        raise KeyError("no value for " + ", ".join(missing))
    return PLACEHOLDER.sub(lambda match: env[match.group(1)], text)


# Values deploy/prod.sh sets on every run; everything else in a kept env file stays as it is.
ARRANGED = {
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SITE_URL", "DATABASE_URL", "REDIS_URL", "VAR_DIR",
    "MEDIA_ROOT", "PROTECTED_MEDIA_ROOT", "PDF_CACHE_ROOT", "STATIC_ROOT", "LOG_FILE",
}  # fmt: skip


def merge_env(old_text, new_text):
    """The kept env file `old_text`, with the arranged values and any variable it lacks from `new_text`."""
    fresh = dict(line.split("=", 1) for line in new_text.splitlines() if "=" in line and not line.startswith("#"))
    seen, kept = set(), []
    for line in old_text.splitlines():
        name = line.split("=", 1)[0] if "=" in line and not line.startswith("#") else None
        if name:
            seen.add(name)
            if name in ARRANGED and name in fresh:
                line = f"{name}={fresh[name]}"
        kept.append(line)
    kept += [f"{name}={value}" for name, value in fresh.items() if name not in seen]
    return "\n".join(kept) + "\n"


def main(argv):
    if len(argv) == 4 and argv[1] == "--merge-env":  # render.py --merge-env KEPT NEW: NEW becomes the merge
        with open(argv[2], encoding="utf-8") as old, open(argv[3], encoding="utf-8") as new:
            merged = merge_env(old.read(), new.read())
        with open(argv[3], "w", encoding="utf-8") as out:
            out.write(merged)
        return
    if len(argv) != 2:
        sys.exit(f"usage: {argv[0]} TEMPLATE")
    with open(argv[1], encoding="utf-8") as handle:
        try:
            sys.stdout.write(render(handle.read()))
        except KeyError as error:
            sys.exit(f"{argv[1]}: {error.args[0]}")


if __name__ == "__main__":
    main(sys.argv)
