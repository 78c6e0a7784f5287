"""A page PDF renders once per clip at a time, in a process stopped at its time limit: a body that
takes too long to lay out answers the reader clearly and leaves no worker burning CPU."""

import os
import threading
import time

import pytest
from django.urls import reverse

from news.files import pdf

pytestmark = pytest.mark.django_db

# Long enough that a real render on a busy machine never reaches the limits the tests do not test:
# what a test proves never depends on how fast the machine is.
GENEROUS = 600

# Stands in for news/pdf_worker.py: records that a render started (its process id), then hangs, or
# waits for the test's word, before running the real worker.
FAKE_WORKER = """
import os, runpy, sys, time
from pathlib import Path

with open(os.environ["PDF_TEST_STARTS"], "a") as starts:
    starts.write(f"{os.getpid()}\\n")
if os.environ.get("PDF_TEST_HANG"):
    time.sleep(600)
release = os.environ.get("PDF_TEST_RELEASE")
while release and not Path(release).exists():
    time.sleep(0.01)
sys.argv = [os.environ["PDF_TEST_REAL"], *sys.argv[1:]]
runpy.run_path(os.environ["PDF_TEST_REAL"], run_name="__main__")
"""


@pytest.fixture
def renders(tmp_path, monkeypatch):
    """The process ids of the renders started, read at any time."""
    worker = tmp_path / "fake_worker.py"
    worker.write_text(FAKE_WORKER)
    starts = tmp_path / "starts"
    starts.touch()
    monkeypatch.setenv("PDF_TEST_STARTS", str(starts))
    monkeypatch.setenv("PDF_TEST_REAL", str(pdf.WORKER))
    monkeypatch.setattr(pdf, "WORKER", worker)
    return lambda: [int(line) for line in starts.read_text().split()]


def pdf_url(clip):
    return reverse("news:pdf", args=[clip.slug])


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_render_past_its_time_limit_is_stopped_and_the_reader_told(client, make_clip, renders, settings, monkeypatch):
    settings.PDF_RENDER_SECONDS = 1
    monkeypatch.setenv("PDF_TEST_HANG", "1")
    clip = make_clip(title="A page too long to lay out")
    response = client.get(pdf_url(clip))
    assert response.status_code == 503
    assert "too long to make into a PDF" in response.content.decode()
    assert "Print" in response.content.decode() and clip.get_absolute_url() in response.content.decode()
    assert response["Cache-Control"] == "no-store" and "Retry-After" not in response
    [pid] = renders()
    assert not alive(pid), "the stopped render is still running"

    # The same revision is not tried again (each try would burn the whole time limit)...
    assert client.get(pdf_url(clip)).status_code == 503
    assert len(renders()) == 1
    # ...but an edit makes a new revision, tried at once.
    monkeypatch.delenv("PDF_TEST_HANG")
    settings.PDF_RENDER_SECONDS = GENEROUS
    clip.title = "A shorter page"
    clip.save()
    response = client.get(pdf_url(clip))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(renders()) == 2


def test_a_request_during_a_render_of_the_clip_gets_a_503_to_retry(client, make_clip, renders, settings):
    settings.PDF_LOCK_WAIT_SECONDS = 0
    settings.PDF_RENDER_SECONDS = GENEROUS
    clip = make_clip()
    with pdf.render_lock(clip.pk):  # another worker is rendering this clip
        response = client.get(pdf_url(clip))
    assert response.status_code == 503
    assert response["Retry-After"] == "10" and response["Cache-Control"] == "no-store"
    assert "being made for another reader" in response.content.decode()
    assert renders() == []
    assert client.get(pdf_url(clip)).status_code == 200


def test_concurrent_first_requests_render_the_clip_once(make_clip, renders, tmp_path, monkeypatch, settings):
    settings.PDF_RENDER_SECONDS = settings.PDF_LOCK_WAIT_SECONDS = GENEROUS
    release = tmp_path / "release"
    monkeypatch.setenv("PDF_TEST_RELEASE", str(release))
    clip = make_clip()
    results = []

    def fetch():
        try:
            results.append(pdf.cached_pdf(clip, [], []))
        except Exception as error:  # shown in the assertion below, not lost in the thread
            results.append(error)

    first = threading.Thread(target=fetch)
    first.start()
    while not renders():  # the first request's render has started and holds the clip's lock
        time.sleep(0.01)
    second = threading.Thread(target=fetch)
    second.start()
    release.touch()
    first.join()
    second.join()
    assert len(renders()) == 1
    assert len(results) == 2 and not any(isinstance(result, Exception) for result in results), results
    assert results[0].path == results[1].path and results[0].path.exists()
