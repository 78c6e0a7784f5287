"""The edge cache's deliveries reach the database exactly once (core/edge_log.py,
news/public/edge_counts.py): the log nginx writes, read through the real command."""

import os

import pytest
from django.core.management import call_command

from core.edge import EDGE_COUNT_HEADER
from news.models import EdgeLogPosition, NewsClip

pytestmark = pytest.mark.django_db


def write(log, *lines, end="\n"):
    with open(log, "a") as f:
        f.write("".join(f"1733400000.000 req{n} {line}{end}" for n, line in enumerate(lines)))


def ingest(log):
    call_command("ingest_edge_counts", str(log))


def views(clip):
    return NewsClip.objects.values_list("view_count", flat=True).get(pk=clip.pk)


def test_views_and_downloads_in_the_log_are_counted_once(tmp_path, make_clip, make_attachment):
    clip = make_clip()
    first, second = make_attachment(clip), make_attachment(clip, position=1)
    log = tmp_path / "edge-counts.log"
    write(log, f"view:{clip.pk}", f"view:{clip.pk}", f"download:{first.pk}", f"download:{first.pk},{second.pk}")
    ingest(log)
    ingest(log)  # nothing new: nothing counted again
    first.refresh_from_db()
    second.refresh_from_db()
    assert (views(clip), first.download_count, second.download_count) == (2, 2, 1)


def test_two_readers_naming_the_log_differently_share_one_position(tmp_path, make_clip, monkeypatch):
    clip = make_clip()
    log = tmp_path / "edge-counts.log"
    write(log, f"view:{clip.pk}", f"view:{clip.pk}")
    ingest(log)
    monkeypatch.chdir(tmp_path)
    call_command("ingest_edge_counts", "edge-counts.log")
    call_command("ingest_edge_counts", str(tmp_path / "." / "edge-counts.log"))
    assert views(clip) == 2


def test_a_line_still_being_written_waits_for_its_end(tmp_path, make_clip):
    clip = make_clip()
    log = tmp_path / "edge-counts.log"
    write(log, f"view:{clip.pk}")
    write(log, f"view:{clip.pk}", end="")
    ingest(log)
    assert views(clip) == 1
    with open(log, "a") as f:
        f.write("\n")
    ingest(log)
    assert views(clip) == 2


def test_a_failed_batch_counts_nothing_and_is_read_again(tmp_path, make_clip, monkeypatch):
    clip = make_clip()
    log = tmp_path / "edge-counts.log"
    write(log, f"view:{clip.pk}", f"view:{clip.pk}")

    def broken(lines):
        NewsClip.objects.filter(pk=clip.pk).update(view_count=99)
        raise RuntimeError("the database went away mid-batch")

    from news.public import edge_counts

    monkeypatch.setattr(edge_counts, "apply", broken)
    with pytest.raises(RuntimeError):
        ingest(log)
    monkeypatch.undo()
    assert views(clip) == 0
    ingest(log)
    assert views(clip) == 2


def test_after_rotation_the_rest_of_the_old_file_is_read_then_the_new_one(tmp_path, make_clip):
    clip = make_clip()
    log = tmp_path / "edge-counts.log"
    write(log, f"view:{clip.pk}")
    ingest(log)
    write(log, f"view:{clip.pk}")  # written after the last read, before the rotation
    os.rename(log, f"{log}.1")
    write(log, f"view:{clip.pk}", f"view:{clip.pk}")
    ingest(log)
    ingest(log)
    assert views(clip) == 4
    assert EdgeLogPosition.objects.get(name=os.path.realpath(log)).inode == os.stat(log).st_ino


def test_garbage_and_unknown_ids_are_skipped(tmp_path, make_clip):
    clip = make_clip()
    log = tmp_path / "edge-counts.log"
    write(log, "-", "view:", "view:abc", "like:1", "view:999999", f"view:{clip.pk}")
    ingest(log)
    assert views(clip) == 1


def test_published_pages_and_files_declare_what_a_delivery_counts(client, make_clip, make_attachment):
    clip = make_clip()
    attachment = make_attachment(clip)
    assert client.get(clip.get_absolute_url())[EDGE_COUNT_HEADER] == f"view:{clip.pk}"
    assert client.get(attachment.get_absolute_url())[EDGE_COUNT_HEADER] == f"download:{attachment.pk}"
    # From the page cache, the same header.
    assert client.get(attachment.get_absolute_url())[EDGE_COUNT_HEADER] == f"download:{attachment.pk}"
    bundle = client.get(f"{clip.get_absolute_url()}attachments.zip")
    assert bundle[EDGE_COUNT_HEADER] == f"download:{attachment.pk}"


def test_a_draft_declares_nothing(admin_client, make_clip):
    draft = make_clip(status="draft")
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert EDGE_COUNT_HEADER not in response
