"""Migration 0016 turns existing photos and attachments into library items with nothing lost: on a copy
of the seed plus generated clips, every row's public address, words, order, download count and the
bytes it serves are identical before and after (bench/library_migration.py runs it at 10,000 clips)."""

import pytest
from django.core.files.storage import storages
from django.db import connection

from bench.library_migration import BEFORE, check_library, latest, migrate_to, snapshot, write_clips, write_seed


@pytest.mark.django_db(transaction=True)
def test_the_library_migration_keeps_every_address_count_and_file():
    storage = storages["protected"]
    newest = latest(connection)
    try:
        old = migrate_to(connection, [BEFORE])
        write_seed(old, storage)
        write_clips(old, storage, 120)
        before = snapshot(old, storage)
        new = migrate_to(connection, newest)
        after = snapshot(new, storage)
    finally:
        migrate_to(connection, newest)
    assert before["clips"] == 121 and len(before["photos"]) == 3 + 252 and len(before["attachments"]) == 4 + 120
    assert after == before
    problems, photos, documents = check_library(new)
    assert problems == []
    # The generated clips drew their files from 40 photos and 25 documents; the seed adds 3 and 4.
    # One generated photo's file is missing, so it is an item of its own.
    assert photos <= 3 + 40 + 1 and documents <= 4 + 25
    seed_photo = new.get_model("news", "ClipImage").objects.select_related("photo").get(pk=1)
    assert seed_photo.photo.alt_text == seed_photo.alt_text and seed_photo.photo.is_placeholder
