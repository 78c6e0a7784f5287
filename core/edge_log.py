"""Read a log that nginx appends to, exactly once, into the database.

`ingest(path, apply)` reads the complete lines written since the last call and hands them to
`apply(lines)` inside one transaction that also records how far it read (a row of the
caller's position model, with the fields `name`, `inode` and `offset`):
either both are committed or neither, so a crash, a restart or a database outage at any
point neither loses nor repeats a line. The position row is locked while a batch is
applied, so two readers of one log take turns.

Rotation (logrotate's `create`, then `nginx -s reopen`): the position names the file by
inode, and the log by its real path (two readers of one log, named differently, share
one position). When the path holds a new file, the rest of the old one is read from `<path>.1`
first; if that is gone too, reading starts at the top of the new file. A file shorter
than the position (copied and truncated) is read from the top.
"""

import os
import time
from pathlib import Path

from django.db import DatabaseError, connections, transaction

BATCH_BYTES = 1 << 20


def _complete_lines(path, offset):
    """(lines, bytes consumed) of the complete lines in `path` from `offset`, up to BATCH_BYTES."""
    with open(path, "rb") as log:
        log.seek(offset)
        data = log.read(BATCH_BYTES)
    end = data.rfind(b"\n") + 1
    return data[:end].decode("utf-8", "replace").splitlines(), end


def ingest(path, apply, positions):
    """Apply the lines added to the log at `path` since the last call; returns how many."""
    path = os.path.realpath(path)  # one position per file, however a reader names it
    try:
        current = os.stat(path)
    except FileNotFoundError:
        return 0
    with transaction.atomic():
        position, _ = positions.objects.select_for_update().get_or_create(name=path)
        source, offset = path, position.offset
        if position.inode != current.st_ino:
            rotated = Path(f"{path}.1")
            try:
                left_in_rotated = rotated.stat().st_ino == position.inode and rotated.stat().st_size > offset
            except FileNotFoundError:
                left_in_rotated = False
            if left_in_rotated:
                source = str(rotated)
            else:
                position.inode, offset = current.st_ino, 0
        elif current.st_size < offset:
            offset = 0
        lines, consumed = _complete_lines(source, offset)
        if lines:
            apply(lines)
        position.offset = offset + consumed
        position.save()
    return len(lines)


def follow(path, apply, positions, *, interval=0.5, log=None, stop=lambda: False):
    """Ingest forever, every `interval` seconds; a database outage is waited out, never fatal."""
    while not stop():
        try:
            while ingest(path, apply, positions):
                pass
        except DatabaseError as error:
            if log:
                log(f"database unavailable, retrying: {error}")
            connections.close_all()  # a connection the server dropped is not reused: connect anew
            time.sleep(max(interval, 1.0))
            continue
        time.sleep(interval)
