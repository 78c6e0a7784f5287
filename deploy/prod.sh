#!/usr/bin/env bash
# The production arrangement on one machine, for testing it as a whole:
# nginx (its own master process, config rendered from deploy/nginx/) in front of
# two gunicorn instances of the same code, PostgreSQL, Redis and one shared files
# folder, everything listening on 127.0.0.1 only and living under var/prod/.
#
#   deploy/prod.sh up | down | status | restart | reload-nginx (after editing deploy/nginx/)
#   deploy/prod.sh stop-instance PORT | start-instance PORT | kill-instance PORT
#   deploy/prod.sh redis-stop | redis-start      (only the Redis this script started)
#   deploy/prod.sh rotate-logs                   (logrotate, forced, for every log here)
#
# The Makefile calls it (make prod-up / prod-down / prod-restart). Ports, database name
# and Redis can be changed with the PROD_* variables below. It never flushes a Redis nor
# drops a database it did not make itself (README, "Deployment").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PROD_DIR="${PROD_DIR:-$ROOT/var/prod}"
PROD_DB="${PROD_DB:-gwangju_prod}"
# Any Redis (redis://host:port/db); unset: the arrangement starts its own on PROD_REDIS_PORT,
# which the fault tests may stop and start (they never touch a Redis given here).
PROD_REDIS_URL="${PROD_REDIS_URL:-}"
PROD_REDIS_PORT="${PROD_REDIS_PORT:-18379}"
# 1: drop and remake PROD_DB even if this folder's arrangement did not create it.
PROD_RESET_DATABASE="${PROD_RESET_DATABASE:-0}"
# 1: write the env file anew (a new SECRET_KEY: every session ends). Otherwise it is kept,
# and only the arrangement's addresses and any variable it lacks are filled in.
PROD_REWRITE_ENV="${PROD_REWRITE_ENV:-0}"
PROD_HTTP_PORT="${PROD_HTTP_PORT:-18080}"
PROD_HTTPS_PORT="${PROD_HTTPS_PORT:-18443}"
PROD_PORT_A="${PROD_PORT_A:-18444}"        # nginx, pinned to instance A
PROD_PORT_B="${PROD_PORT_B:-18445}"        # nginx, pinned to instance B
PROD_APP_PORTS="${PROD_APP_PORTS:-18001 18002}"
# 20 slow readers of one ZIP from one address must fit (tests/integration).
PROD_DOWNLOAD_CONNECTIONS_PER_IP="${PROD_DOWNLOAD_CONNECTIONS_PER_IP:-64}"
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
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 TZ=UTC ENV_FILE="$ENV_FILE" \
    bash -c 'set -a; . "$ENV_FILE"; set +a; exec "$@"' _ "$@"
}

# Debian packages this script needs: installed as root, else the exact command to run.
ensure_packages() {  # ensure_packages COMMAND PACKAGE [COMMAND PACKAGE ...]
  local missing=()
  while [ $# -gt 0 ]; do
    command -v "$1" >/dev/null || missing+=("$2")
    shift 2
  done
  [ ${#missing[@]} -eq 0 ] && return
  local line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}. As root, run: $line"
  say "Installing ${missing[*]}"
  # The packages would start system services (nginx on port 80, a Redis on 6379): keep
  # them stopped (Debian's policy-rc.d convention); this arrangement runs its own.
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ -z "$added" ] || rm -f "$policy"
}

redis_url() {
  if [ -n "$PROD_REDIS_URL" ]; then printf '%s' "$PROD_REDIS_URL"; else printf 'redis://%s:%s/0' "$HOST" "$PROD_REDIS_PORT"; fi
}

redis_start() {  # the arrangement's own Redis: memory only, nothing saved
  [ -z "$PROD_REDIS_URL" ] || die "PROD_REDIS_URL is set: that Redis is not this arrangement's to start or stop"
  mkdir -p "$RUN" "$LOG" "$PROD_DIR/redis"
  if pid_of "$RUN/redis.pid" >/dev/null; then return; fi
  redis-server --bind "$HOST" --port "$PROD_REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --dir "$PROD_DIR/redis" --pidfile "$RUN/redis.pid" --logfile "$LOG/redis.log" --maxmemory 256mb \
    --maxmemory-policy allkeys-lru >/dev/null
  wait_for redis_answers || die "Redis on $HOST:$PROD_REDIS_PORT did not start (see $LOG/redis.log)"
}

redis_stop() {
  [ -z "$PROD_REDIS_URL" ] || die "PROD_REDIS_URL is set: that Redis is not this arrangement's to start or stop"
  stop_pid "$RUN/redis.pid" TERM
}

redis_answers() { [ "$(redis-cli -u "$(redis_url)" ping 2>/dev/null)" = PONG ]; }

ensure_services() {
  pg_isready -h "$HOST" -p 5432 -q || die "PostgreSQL does not answer on $HOST:5432"
  if [ -z "$PROD_REDIS_URL" ]; then
    redis_start
  else
    redis_answers || die "Redis does not answer at PROD_REDIS_URL=$PROD_REDIS_URL"
  fi
}

write_env() {
  mkdir -p "$PROD_DIR" "$LOG" "$RUN"
  local secret=""
  if [ -f "$ENV_FILE" ] && [ "$PROD_REWRITE_ENV" != 1 ]; then
    secret="$(sed -n 's/^SECRET_KEY=//p' "$ENV_FILE")"
  fi
  [ -n "$secret" ] || secret="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
  local origins="https://$HOST:$PROD_HTTPS_PORT,https://$HOST:$PROD_PORT_A,https://$HOST:$PROD_PORT_B"
  local new="$ENV_FILE.new"
  SECRET_KEY="$secret" ALLOWED_HOSTS="$HOST,localhost" CSRF_TRUSTED_ORIGINS="$origins" \
    SITE_URL="https://$HOST:$PROD_HTTPS_PORT" \
    DATABASE_URL="postgres://postgres@$HOST:5432/$PROD_DB" REDIS_URL="$(redis_url)" \
    VAR_DIR="$PROD_DIR" MEDIA_ROOT="$PROD_DIR/media" PROTECTED_MEDIA_ROOT="$PROD_DIR/protected" \
    PDF_CACHE_ROOT="$PROD_DIR/pdf-cache" STATIC_ROOT="$PROD_DIR/static" LOG_FILE="$LOG/app.log" \
    "$VENV/bin/python" deploy/render.py deploy/env.template >"$new"
  if [ -f "$ENV_FILE" ] && [ "$PROD_REWRITE_ENV" != 1 ]; then
    # Keep the file as it is (an operator's edits included): only the addresses this run
    # was given are set, and any variable the template gained is added.
    "$VENV/bin/python" deploy/render.py --merge-env "$ENV_FILE" "$new"
  fi
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
OWN_REDIS=$([ -z "$PROD_REDIS_URL" ] && echo 1 || echo 0)
REDIS_URL=$(redis_url)
PROD_DB=$PROD_DB
EOF
}

render_nginx() {  # render_nginx [PORT-TO-DRAIN]
  mkdir -p "$NGINX_PREFIX/tls" "$NGINX_PREFIX/tmp" "$LOG"
  if [ ! -f "$NGINX_PREFIX/tls/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$HOST" \
      -addext "subjectAltName=IP:$HOST,DNS:localhost" \
      -keyout "$NGINX_PREFIX/tls/key.pem" -out "$NGINX_PREFIX/tls/cert.pem" 2>/dev/null
  fi
  # Open files: as many as this machine allows, up to 65536; half of them connections
  # (each is a client socket and an upstream socket).
  local nofile
  nofile="$(ulimit -Hn)"
  [ "$nofile" = unlimited ] || [ "$nofile" -gt 65536 ] && nofile=65536
  local user_directive="# runs as $(id -un)"
  # Workers run as whoever runs the app, so they can read its 0640 files.
  [ "$(id -u)" != 0 ] || user_directive="user $(id -un) $(id -gn);"
  local file
  for file in gwangju.conf gwangju-locations.conf gwangju-headers.conf gwangju-edge-http.conf gwangju-edge.conf local.conf; do
    with_env env SERVER_NAME="$HOST localhost" \
      NGINX_HTTP_LISTEN="$HOST:$PROD_HTTP_PORT" NGINX_HTTPS_LISTEN="$HOST:$PROD_HTTPS_PORT ssl" NGINX_HTTPS_REDIRECT_PORT=":$PROD_HTTPS_PORT" \
      TLS_CERTIFICATE="$NGINX_PREFIX/tls/cert.pem" TLS_CERTIFICATE_KEY="$NGINX_PREFIX/tls/key.pem" \
      NGINX_CONF_DIR="$NGINX_PREFIX" NGINX_LOG_DIR="$LOG" NGINX_PREFIX="$NGINX_PREFIX" \
      NGINX_USER_DIRECTIVE="$user_directive" NGINX_RLIMIT_NOFILE="$nofile" NGINX_WORKER_CONNECTIONS="$((nofile / 2 < 16384 ? nofile / 2 : 16384))" \
      NGINX_DOWNLOAD_CONNECTIONS_PER_IP="$PROD_DOWNLOAD_CONNECTIONS_PER_IP" \
      GUNICORN_HOST="$HOST" GUNICORN_PORTS="$PROD_APP_PORTS" GUNICORN_PORT_A="$PORT_A_APP" GUNICORN_PORT_B="$PORT_B_APP" \
      NGINX_PORT_A="$HOST:$PROD_PORT_A" NGINX_PORT_B="$HOST:$PROD_PORT_B" GUNICORN_DRAIN_PORTS="${1:-}" \
      NGINX_EDGE_CACHE_DIR="$NGINX_PREFIX/edge-cache" NGINX_EDGE_FILES_SOCKET="$NGINX_PREFIX/edge-files.sock" \
      "$VENV/bin/python" deploy/render.py "deploy/nginx/$file" >"$NGINX_PREFIX/${file/local.conf/nginx.conf}"
  done
  nginx -q -t -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -e "$LOG/error.log"
}

prepare_database() {
  local exists mine="" owner
  exists="$(psql -h "$HOST" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PROD_DB'" postgres)"
  # The database carries the id of the folder whose arrangement created it (its comment).
  [ -f "$PROD_DIR/database-id" ] && mine="$(cat "$PROD_DIR/database-id")"
  if [ -n "$exists" ]; then
    owner="$(psql -h "$HOST" -U postgres -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$PROD_DB'" postgres)"
    if [ -z "$mine" ] || [ "$owner" != "gwangju-arrangement $mine" ]; then
      [ "$PROD_RESET_DATABASE" = 1 ] || die "database $PROD_DB exists but this folder's arrangement did not create it: \
its rows point at files and passwords $PROD_DIR does not have. Use another name (PROD_DB=...), \
or drop it and start afresh with PROD_RESET_DATABASE=1 (its data is lost)."
      say "PROD_RESET_DATABASE=1: dropping database $PROD_DB and making it anew."
      psql -h "$HOST" -U postgres -q -c "DROP DATABASE $PROD_DB WITH (FORCE)" postgres
      exists=""
    fi
  fi
  if [ -z "$exists" ]; then
    mine="$("$VENV/bin/python" -c 'import uuid; print(uuid.uuid4().hex)')"
    psql -h "$HOST" -U postgres -q -c "CREATE DATABASE $PROD_DB" postgres
    psql -h "$HOST" -U postgres -q -c "COMMENT ON DATABASE $PROD_DB IS 'gwangju-arrangement $mine'" postgres
    printf '%s\n' "$mine" >"$PROD_DIR/database-id"
    # A new database: what a previous one left in this folder belongs to it.
    rm -rf "$PROD_DIR/protected" "$PROD_DIR/pdf-cache" "$PROD_DIR/media" "$PROD_DIR/admin-password"
    # and so do the edge's deliveries not yet counted: they name the old database's rows.
    rm -f "$LOG"/edge-counts.log*
  fi
  local manage=("$VENV/bin/python" manage.py)
  with_env "${manage[@]}" collectstatic --noinput --verbosity 0
  with_env "${manage[@]}" migrate --noinput --verbosity 0
  with_env "${manage[@]}" load_seed
  if [ ! -f "$PROD_DIR/admin-password" ]; then
    (umask 077 && "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))' >"$PROD_DIR/admin-password")
  fi
  with_env env DJANGO_SUPERUSER_PASSWORD="$(cat "$PROD_DIR/admin-password")" "${manage[@]}" ensure_admin >/dev/null
  # Pages cached by an earlier run may show content this database does not have: a new
  # generation forgets them all (nothing is flushed; counts live in the database).
  with_env "${manage[@]}" shell -c "from core.page_cache import bump_generation; bump_generation()" >/dev/null
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
  # In the background, not --daemon: the instance's output (its access log and everything
  # the app writes to stderr) goes to its log file instead of /dev/null. One control socket
  # and one metrics folder per instance.
  with_env env PROMETHEUS_MULTIPROC_DIR="$RUN/metrics-$port" \
    setsid "$VENV/bin/gunicorn" gwangju_site.wsgi -c deploy/gunicorn.conf.py --bind "$HOST:$port" \
    --pid "$pidfile" --control-socket "$RUN/gunicorn-$port.ctl" </dev/null >>"$LOG/gunicorn-$port.log" 2>&1 &
  wait_for instance_healthy "$port" || die "gunicorn on $HOST:$port did not become healthy (see $LOG/gunicorn-$port.log)"
}

start_scheduler() {
  local pidfile="$RUN/scheduler.pid"
  if pid_of "$pidfile" >/dev/null; then return; fi
  rm -f "$pidfile"
  # The pid file gets the scheduler's own pid (bash writes $$, then execs it), as for the edge
  # counts: `$!` of a backgrounded `with_env` was a subshell's, and stopping that left the
  # scheduler running after `prod-down`.
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 TZ=UTC ENV_FILE="$ENV_FILE" PIDFILE="$pidfile" \
    bash -c 'set -a; . "$ENV_FILE"; set +a; echo $$ >"$PIDFILE"; exec setsid "$@"' _ \
    "$VENV/bin/python" manage.py run_scheduler </dev/null >>"$LOG/scheduler.log" 2>&1 &
  wait_for test -s "$pidfile"
}

nginx_workers_settled() {  # after a reload: no old worker still finishing requests
  ! pgrep -f "nginx: worker process is shutting down" >/dev/null
}

nginx_reload() {
  local pid
  pid="$(pid_of "$NGINX_PREFIX/nginx.pid")" || die "nginx is not running"
  kill -HUP "$pid"
  sleep 1
  wait_for nginx_workers_settled || say "nginx: old workers still finishing long downloads; going on"
}

restart() {  # a rolling restart that drains: no reader sees an error
  local port
  for port in $PROD_APP_PORTS; do
    say "Instance $port: taken out of nginx, draining"
    render_nginx "$port"
    nginx_reload  # new nginx workers send it nothing; old ones finish what they sent it
    stop_pid "$RUN/gunicorn-$port.pid" TERM
    start_instance "$port"
    say "Instance $port: restarted and healthy, back in nginx"
    render_nginx
    nginx_reload
  done
  # The scheduler runs the same code: stopped between two runs, started again.
  stop_pid "$RUN/scheduler.pid" TERM
  start_scheduler
}

rotate_logs() {
  with_env env LOG_DIR="$LOG" NGINX_PID_FILE="$NGINX_PREFIX/nginx.pid" \
    "$VENV/bin/python" deploy/render.py deploy/logrotate/arrangement >"$PROD_DIR/logrotate.conf"
  logrotate --force --state "$RUN/logrotate.state" "$PROD_DIR/logrotate.conf"
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

# Counts what the edge cache delivers (nginx's edge-counts.log) into the database.
start_edge_counts() {
  local pidfile="$RUN/edge-counts.pid"
  mkdir -p "$RUN" "$LOG"
  if pid_of "$pidfile" >/dev/null; then return; fi
  # The pid file gets the reader's own pid (bash execs it): `$!` of a backgrounded function
  # would be a subshell's, and stopping that would leave the reader running.
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ENV_FILE="$ENV_FILE" PIDFILE="$pidfile" \
    bash -c 'set -a; . "$ENV_FILE"; set +a; echo $$ >"$PIDFILE"; exec "$@"' _ \
    "$VENV/bin/python" manage.py ingest_edge_counts "$LOG/edge-counts.log" --follow \
    </dev/null >>"$LOG/edge-counts-ingest.log" 2>&1 &
  wait_for test -s "$pidfile"
}

stop_edge_counts() {
  stop_pid "$RUN/edge-counts.pid" TERM
  # nginx has stopped: whatever it wrote last is counted now.
  [ ! -f "$LOG/edge-counts.log" ] || with_env "$VENV/bin/python" manage.py ingest_edge_counts "$LOG/edge-counts.log" >/dev/null \
    || say "edge counts: could not read the last lines of $LOG/edge-counts.log (read at the next start)"
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
  for port in $PROD_HTTP_PORT $PROD_HTTPS_PORT $PROD_PORT_A $PROD_PORT_B $PROD_APP_PORTS \
    $([ -n "$PROD_REDIS_URL" ] || echo "$PROD_REDIS_PORT"); do
    if ss -Hltn "sport = :$port" | grep -q .; then found+=" $port"; fi
  done
  printf '%s' "$found"
}

up() {
  [ -x "$VENV/bin/python" ] || die "no $VENV: run make first"
  ensure_packages nginx nginx redis-server redis-server redis-cli redis-tools logrotate logrotate \
    pg_dump postgresql-client
  [ -z "$(listening)" ] || die "ports in use:$(listening) (make prod-down, or set PROD_* ports)"
  ensure_services
  write_env
  prepare_database
  render_nginx
  local port
  for port in $PROD_APP_PORTS; do start_instance "$port"; done
  start_scheduler
  start_edge_counts
  TZ=UTC nginx -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -e "$LOG/error.log"
  wait_for curl -sf --cacert "$NGINX_PREFIX/tls/cert.pem" -o /dev/null "https://$HOST:$PROD_HTTPS_PORT/healthz" \
    || die "nginx does not answer on https://$HOST:$PROD_HTTPS_PORT (see $LOG/error.log)"
  say ""
  say "Production arrangement running: https://$HOST:$PROD_HTTPS_PORT/ (self-signed: $NGINX_PREFIX/tls/cert.pem)"
  say "  app instances on $HOST:${PROD_APP_PORTS// /, $HOST:}; per-instance through nginx: :$PROD_PORT_A, :$PROD_PORT_B"
  say "  admin: /admin/ as 'admin', password in $PROD_DIR/admin-password"
  say "  logs: $LOG/ (app.log, gunicorn-PORT.log, gwangju.access.log, scheduler.log)   stop: make prod-down"
  say "  readiness: /healthz/ready   metrics: /metrics (from this machine only)"
}

down() {
  stop_pid "$NGINX_PREFIX/nginx.pid" QUIT
  stop_edge_counts
  local port
  for port in $PROD_APP_PORTS; do stop_pid "$RUN/gunicorn-$port.pid" TERM; done
  stop_pid "$RUN/scheduler.pid" TERM
  [ -n "$PROD_REDIS_URL" ] || redis_stop
  local left
  left="$(listening)"
  [ -z "$left" ] || die "still listening on:$left"
  # The background commands listen on nothing: check they are gone too.
  left="$(pgrep -f "^$VENV/bin/python manage.py (run_scheduler|ingest_edge_counts)" | tr '\n' ' ' || true)"
  [ -z "$left" ] || die "still running (scheduler or edge-count reader): pid $left"
  say "Production arrangement stopped; nothing listens on its ports. (Data kept in $PROD_DIR and database $PROD_DB.)"
}

status() {
  local port
  say "nginx: $(pid_of "$NGINX_PREFIX/nginx.pid" || echo stopped)"
  for port in $PROD_APP_PORTS; do say "gunicorn $port: $(pid_of "$RUN/gunicorn-$port.pid" || echo stopped)"; done
  say "edge counts: $(pid_of "$RUN/edge-counts.pid" || echo stopped)"
  say "scheduler: $(pid_of "$RUN/scheduler.pid" || echo stopped)"
  if [ -n "$PROD_REDIS_URL" ]; then say "redis: $PROD_REDIS_URL (not ours)"; else say "redis: $(pid_of "$RUN/redis.pid" || echo stopped)"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  restart) restart ;;
  reload-nginx) render_nginx && nginx_reload ;;
  rotate-logs) rotate_logs ;;
  redis-stop) redis_stop ;;
  redis-start) redis_start ;;
  stop-instance) stop_pid "$RUN/gunicorn-${2:?port}.pid" TERM ;;
  start-instance) start_instance "${2:?port}" ;;
  kill-instance) kill_instance "${2:?port}" ;;
  *) die "usage: $0 up|down|status|restart|reload-nginx|rotate-logs|stop-instance PORT|start-instance PORT|kill-instance PORT|redis-stop|redis-start" ;;
esac
