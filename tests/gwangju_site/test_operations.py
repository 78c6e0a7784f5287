"""What keeps the site up and tells the operator: Redis failures are misses, the readiness
report and metrics, and log lines an operator can join (issue 25)."""

import logging
import re
import uuid

import pytest
from django.urls import reverse

from news.models import NewsClip

# Nothing listens on port 1: every Redis call is refused, as when Redis is killed.


def test_with_redis_down_every_public_page_renders_from_the_database_and_views_count(
    client, seeded, dead_redis, caplog
):
    caplog.set_level(logging.ERROR, logger="gwangju.outage")
    pages = [reverse("home"), reverse("news:list"), seeded.get_absolute_url(), reverse("projects:list"), "/sitemap.xml"]
    before = NewsClip.objects.get(pk=seeded.pk).view_count

    statuses = [client.get(url).status_code for url in pages * 3]

    assert statuses == [200] * len(statuses)
    assert NewsClip.objects.get(pk=seeded.pk).view_count == before + 3  # counted in the database
    failing = [r for r in caplog.records if "Redis (the shared cache) is failing" in r.getMessage()]
    assert len(failing) == 1  # once, not once per request
    assert "ConnectionError" in failing[0].getMessage()  # with its cause


def test_with_redis_down_a_cache_call_never_raises(dead_redis):
    assert dead_redis.get("x", "default") == "default"
    assert dead_redis.set("x", 1) is None and dead_redis.add("x", 1) is False
    assert dead_redis.get_many(["x", "y"]) == {}
    with pytest.raises(ValueError):
        dead_redis.incr("x")
    assert dead_redis.available is False


def test_the_readiness_report_says_degraded_with_the_reason(client, db, dead_redis, settings, tmp_path):
    settings.SCHEDULER_HEARTBEAT_FILE = tmp_path / "never-ran"

    report = client.get(reverse("readiness"))

    assert report.status_code == 200  # still serving: degraded, not down
    body = report.json()
    assert body["status"] == "degraded"
    assert any(reason.startswith("redis does not answer") for reason in body["reasons"])
    assert any(reason.startswith("scheduler has never run") for reason in body["reasons"])
    assert body["checks"]["database"].startswith("answers")
    assert body["checks"]["files"].startswith("writable")


def test_the_readiness_report_says_ok_when_all_is_well(client, db, settings, tmp_path):
    settings.SCHEDULER_HEARTBEAT_FILE = tmp_path / "ran"
    settings.SCHEDULER_HEARTBEAT_FILE.touch()

    body = client.get(reverse("readiness")).json()

    assert (body["status"], body["reasons"]) == ("ok", [])


def test_low_disk_space_is_a_reason(client, db, settings, tmp_path):
    settings.SCHEDULER_HEARTBEAT_FILE = tmp_path / "ran"
    settings.SCHEDULER_HEARTBEAT_FILE.touch()
    settings.READY_MIN_FREE_MB = 10**12

    body = client.get(reverse("readiness")).json()

    assert body["status"] == "degraded" and body["reasons"][0].startswith("files ")
    assert "MB free" in body["reasons"][0]


@pytest.mark.parametrize("path", ["/metrics", "/healthz/ready"])
def test_metrics_and_readiness_answer_only_this_machine_or_the_token(client, db, settings, path):
    settings.PROXY_COUNT = 1
    settings.METRICS_TOKEN = "s3cret-token"
    outside = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}  # through nginx, from afar

    assert client.get(path, HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200
    assert client.get(path, **outside).status_code == 404
    assert client.get(path, HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 404
    assert client.get(path, HTTP_AUTHORIZATION="Bearer s3cret-token", **outside).status_code == 200


def test_metrics_count_requests_by_view_and_page_cache_hits(client, seeded):
    for _ in range(2):
        client.get(reverse("news:list"))
    client.get("/no-such-page/")

    text = client.get("/metrics").content.decode()

    assert re.search(r'gwangju_http_requests_total\{method="GET",status="2xx",view="news:list"\} [1-9]', text)
    assert re.search(r'gwangju_http_requests_total\{method="GET",status="4xx",view="unresolved"\} [1-9]', text)
    assert 'gwangju_http_request_duration_seconds_bucket{le="0.1",view="news:list"}' in text
    assert re.search(r'gwangju_page_cache_requests_total\{page="news-list",result="hit"\} [1-9]', text)
    assert "gwangju_counter_backlog 0" in text
    assert "gwangju_scheduler_age_seconds" in text


def test_log_lines_carry_the_request_id_and_utc(client, db, caplog):
    from core.logging import RequestIdFilter, UTCFormatter

    caplog.handler.addFilter(RequestIdFilter())
    request_id = uuid.uuid4().hex

    client.get("/no-such-page/", HTTP_X_REQUEST_ID=request_id)

    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.request_id == request_id  # logged after the middleware returned, still the request's
    line = UTCFormatter("%(asctime)s [req=%(request_id)s] %(message)s").format(record)
    assert re.match(rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z \[req={request_id}\] Not Found", line)
