#!/usr/bin/env bash
# The production arrangement on one machine, for testing it as a whole:
# nginx (its own master process, config rendered from deploy/nginx/) in front of
# two gunicorn instances of the same code, PostgreSQL, Redis and one shared files
# folder, everything listening on 127.0.0.1 only and living under var/prod/.
#
#   deploy/prod.sh up | down | status
#   deploy/prod.sh stop-instance PORT | start-instance PORT | kill-instance PORT
#
# The Makefile calls it (make prod-up / make prod-down). Ports, database name and
# Redis database number can be changed with the PROD_* variables below.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PROD_DIR="${PROD_DIR:-$ROOT/var/prod}"
PROD_DB="${PROD_DB:-gwangju_prod}"
PROD_REDIS_DB="${PROD_REDIS_DB:-5}"
PROD_HTTP_PORT="${PROD_HTTP_PORT:-18080}"
PROD_HTTPS_PORT="${PROD_HTTPS_PORT:-18443}"
PROD_PORT_A="${PROD_PORT_A:-18444}"        # nginx, pinned to instance A
PROD_PORT_B="${PROD_PORT_B:-18445}"        # nginx, pinned to instance B
PROD_APP_PORTS="${PROD_APP_PORTS:-18001 18002}"
# 20 slow readers of one ZIP from one address must fit (tests/integration).
PROD_DOWNLOAD_CONNECTIONS_PER_IP="${PROD_DOWNLOAD_CONNECTIONS_PER_IP:-24}"
HOST=127.0.0.1

VENV="$ROOT/.venv"
ENV_FILE="$PROD_DIR/env"
RUN="$PROD_DIR/run"
LOG="$PROD_DIR/log"
NGINX_PREFIX="$PROD_DIR/nginx"
read -r PORT_A_APP PORT_B_APP <<<"$PROD_APP_PORTS"

say() { printf '%s\n' "$*"; }
die() { printf 'prod: %s\n' "$*" >&2; exit 1; }

# Run a command with exactly the arrangement's environment (nothing leaks in
# from the caller's shell, such as DEBUG=1 or another DATABASE_URL).
with_env() {
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ENV_FILE="$ENV_FILE" \
    bash -c 'set -a; . "$ENV_FILE"; set +a; exec "$@"' _ "$@"
}

ensure_nginx() {
  command -v nginx >/dev/null && return
  local line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx"
  if [ "$(id -u)" != 0 ]; then
    die "nginx is not installed. As root, run: $line"
  fi
  say "Installing nginx: $line"
  # The package would start the system nginx on port 80 of every address: keep
  # it stopped (Debian's policy-rc.d convention); this arrangement runs its own.
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
  [ -z "$added" ] || rm -f "$policy"
}

ensure_services() {
  pg_isready -h "$HOST" -p 5432 -q || die "PostgreSQL does not answer on $HOST:5432"
  [ "$(redis-cli -h "$HOST" -p 6379 ping 2>/dev/null)" = PONG ] || die "Redis does not answer on $HOST:6379"
}

write_env() {
  mkdir -p "$PROD_DIR"
  local secret
  if [ -f "$ENV_FILE" ]; then
    secret="$(sed -n 's/^SECRET_KEY=//p' "$ENV_FILE")"
  else
    secret="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
  fi
  local origins="https://$HOST:$PROD_HTTPS_PORT,https://$HOST:$PROD_PORT_A,https://$HOST:$PROD_PORT_B"
  local new="$ENV_FILE.new"
  SECRET_KEY="$secret" ALLOWED_HOSTS="$HOST,localhost" CSRF_TRUSTED_ORIGINS="$origins" \
    SITE_URL="https://$HOST:$PROD_HTTPS_PORT" \
    DATABASE_URL="postgres://postgres@$HOST:5432/$PROD_DB" REDIS_URL="redis://$HOST:6379/$PROD_REDIS_DB" \
    VAR_DIR="$PROD_DIR" MEDIA_ROOT="$PROD_DIR/media" PROTECTED_MEDIA_ROOT="$PROD_DIR/protected" \
    PDF_CACHE_ROOT="$PROD_DIR/pdf-cache" STATIC_ROOT="$PROD_DIR/static" \
    "$VENV/bin/python" deploy/render.py deploy/env.template >"$new"
  chmod 600 "$new" && mv "$new" "$ENV_FILE"
  # What the integration tests need to find the arrangement.
  cat >"$PROD_DIR/arrangement" <<EOF
URL=https://$HOST:$PROD_HTTPS_PORT
HTTP_URL=http://$HOST:$PROD_HTTP_PORT
URL_A=https://$HOST:$PROD_PORT_A
URL_B=https://$HOST:$PROD_PORT_B
APP_PORT_A=$PORT_A_APP
APP_PORT_B=$PORT_B_APP
CA_FILE=$NGINX_PREFIX/tls/cert.pem
DOWNLOAD_CONNECTIONS_PER_IP=$PROD_DOWNLOAD_CONNECTIONS_PER_IP
EOF
}

render_nginx() {
  mkdir -p "$NGINX_PREFIX/tls" "$NGINX_PREFIX/tmp" "$LOG"
  if [ ! -f "$NGINX_PREFIX/tls/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$HOST" \
      -addext "subjectAltName=IP:$HOST,DNS:localhost" \
      -keyout "$NGINX_PREFIX/tls/key.pem" -out "$NGINX_PREFIX/tls/cert.pem" 2>/dev/null
  fi
  local user_directive="# runs as $(id -un)"
  # Workers run as whoever runs the app, so they can read its 0640 files.
  [ "$(id -u)" != 0 ] || user_directive="user $(id -un) $(id -gn);"
  local file
  for file in gwangju.conf gwangju-locations.conf gwangju-headers.conf local.conf; do
    with_env env SERVER_NAME="$HOST localhost" \
      NGINX_HTTP_LISTEN="$HOST:$PROD_HTTP_PORT" NGINX_HTTPS_LISTEN="$HOST:$PROD_HTTPS_PORT ssl" NGINX_HTTPS_REDIRECT_PORT=":$PROD_HTTPS_PORT" \
      TLS_CERTIFICATE="$NGINX_PREFIX/tls/cert.pem" TLS_CERTIFICATE_KEY="$NGINX_PREFIX/tls/key.pem" \
      NGINX_CONF_DIR="$NGINX_PREFIX" NGINX_LOG_DIR="$LOG" NGINX_PREFIX="$NGINX_PREFIX" \
      NGINX_USER_DIRECTIVE="$user_directive" NGINX_DOWNLOAD_CONNECTIONS_PER_IP="$PROD_DOWNLOAD_CONNECTIONS_PER_IP" \
      GUNICORN_HOST="$HOST" GUNICORN_PORTS="$PROD_APP_PORTS" GUNICORN_PORT_A="$PORT_A_APP" GUNICORN_PORT_B="$PORT_B_APP" \
      NGINX_PORT_A="$HOST:$PROD_PORT_A" NGINX_PORT_B="$HOST:$PROD_PORT_B" \
      "$VENV/bin/python" deploy/render.py "deploy/nginx/$file" >"$NGINX_PREFIX/${file/local.conf/nginx.conf}"
  done
  nginx -q -t -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -e "$LOG/error.log"
}

prepare_database() {
  local exists
  exists="$(psql -h "$HOST" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PROD_DB'" postgres)"
  if [ -n "$exists" ] && [ ! -f "$PROD_DIR/database-created" ]; then
    # Made by another checkout's arrangement (a fresh clone, CI): its rows point at files and an
    # admin password this folder does not have. This test database is ours to remake.
    echo "Database $PROD_DB belongs to another checkout's arrangement: making it anew."
    psql -h "$HOST" -U postgres -q -c "DROP DATABASE $PROD_DB WITH (FORCE)" postgres
    exists=""
  fi
  if [ -z "$exists" ]; then
    psql -h "$HOST" -U postgres -q -c "CREATE DATABASE $PROD_DB" postgres
    touch "$PROD_DIR/database-created"
  fi
  # A dedicated Redis database: last run's cached pages belong to last run's content.
  redis-cli -h "$HOST" -p 6379 -n "$PROD_REDIS_DB" flushdb >/dev/null
  local manage=("$VENV/bin/python" manage.py)
  with_env "${manage[@]}" collectstatic --noinput --verbosity 0
  with_env "${manage[@]}" migrate --noinput --verbosity 0
  with_env "${manage[@]}" load_seed
  if [ ! -f "$PROD_DIR/admin-password" ]; then
    (umask 077 && "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))' >"$PROD_DIR/admin-password")
  fi
  with_env env DJANGO_SUPERUSER_PASSWORD="$(cat "$PROD_DIR/admin-password")" "${manage[@]}" ensure_admin >/dev/null
}

pid_of() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null && cat "$1"; }

wait_for() {  # wait_for URL-or-port-check command..., up to 30 s
  local i
  for i in $(seq 1 60); do
    "$@" && return 0
    sleep 0.5
  done
  return 1
}

instance_healthy() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "http://$HOST:$1/healthz")" = 200 ]
}

start_instance() {
  local port="$1" pidfile="$RUN/gunicorn-$1.pid"
  mkdir -p "$RUN" "$LOG"
  if pid_of "$pidfile" >/dev/null; then return; fi
  with_env "$VENV/bin/gunicorn" gwangju_site.wsgi -c deploy/gunicorn.conf.py --bind "$HOST:$port" \
    --pid "$pidfile" --daemon --access-logfile "$LOG/gunicorn-$port.log" --error-logfile "$LOG/gunicorn-$port.log"
  wait_for instance_healthy "$port" || die "gunicorn on $HOST:$port did not become healthy (see $LOG/gunicorn-$port.log)"
}

stop_pid() {  # stop_pid PIDFILE SIGNAL: signal, wait up to 30 s, then SIGKILL
  local pid
  pid="$(pid_of "$1")" || { rm -f "$1"; return 0; }
  kill "-$2" "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

kill_instance() {  # the crash case: no graceful shutdown at all
  local pidfile="$RUN/gunicorn-$1.pid" pid
  pid="$(pid_of "$pidfile")" || return 0
  local workers
  workers="$(pgrep -P "$pid" || true)"
  # shellcheck disable=SC2086  # one id per word
  kill -KILL "$pid" $workers 2>/dev/null || true
  rm -f "$pidfile"
}

listening() {  # our ports that something still listens on
  local port found=""
  for port in $PROD_HTTP_PORT $PROD_HTTPS_PORT $PROD_PORT_A $PROD_PORT_B $PROD_APP_PORTS; do
    if ss -Hltn "sport = :$port" | grep -q .; then found+=" $port"; fi
  done
  printf '%s' "$found"
}

up() {
  [ -x "$VENV/bin/python" ] || die "no $VENV: run make first"
  ensure_nginx
  ensure_services
  [ -z "$(listening)" ] || die "ports in use:$(listening) (make prod-down, or set PROD_* ports)"
  write_env
  prepare_database
  render_nginx
  local port
  for port in $PROD_APP_PORTS; do start_instance "$port"; done
  nginx -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -e "$LOG/error.log"
  wait_for curl -sf --cacert "$NGINX_PREFIX/tls/cert.pem" -o /dev/null "https://$HOST:$PROD_HTTPS_PORT/healthz" \
    || die "nginx does not answer on https://$HOST:$PROD_HTTPS_PORT (see $LOG/error.log)"
  say ""
  say "Production arrangement running: https://$HOST:$PROD_HTTPS_PORT/ (self-signed: $NGINX_PREFIX/tls/cert.pem)"
  say "  app instances on $HOST:${PROD_APP_PORTS// /, $HOST:}; per-instance through nginx: :$PROD_PORT_A, :$PROD_PORT_B"
  say "  admin: /admin/ as 'admin', password in $PROD_DIR/admin-password"
  say "  logs: $LOG/   stop: make prod-down"
}

down() {
  stop_pid "$NGINX_PREFIX/nginx.pid" QUIT
  local port
  for port in $PROD_APP_PORTS; do stop_pid "$RUN/gunicorn-$port.pid" TERM; done
  local left
  left="$(listening)"
  [ -z "$left" ] || die "still listening on:$left"
  say "Production arrangement stopped; nothing listens on its ports. (Data kept in $PROD_DIR and database $PROD_DB.)"
}

status() {
  local port
  say "nginx: $(pid_of "$NGINX_PREFIX/nginx.pid" || echo stopped)"
  for port in $PROD_APP_PORTS; do say "gunicorn $port: $(pid_of "$RUN/gunicorn-$port.pid" || echo stopped)"; done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  stop-instance) stop_pid "$RUN/gunicorn-${2:?port}.pid" TERM ;;
  start-instance) start_instance "${2:?port}" ;;
  kill-instance) kill_instance "${2:?port}" ;;
  *) die "usage: $0 up|down|status|stop-instance PORT|start-instance PORT|kill-instance PORT" ;;
esac
