"""Protected storage (files only the application serves), and files that follow their rows:
what a failed save wrote is taken back, what a committed delete orphaned is removed."""

import contextvars
import logging
import os
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)


def protected_storage():
    return storages["protected"]


_files_written = contextvars.ContextVar("files_written", default=None)


class ProtectedStorage(FileSystemStorage):
    """File storage in PROTECTED_MEDIA_ROOT that remembers what a request wrote, so a
    rolled-back save can take it back."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PROTECTED_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PROTECTED_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def _save(self, name, content):
        # A write that fails half-way (the disk full: ENOSPC) would leave an empty or partial
        # file behind that no row points at: take it back before the error goes on.
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            name = super()._save(name, content)
        except OSError:
            if not existed and os.path.lexists(path):
                try:
                    os.remove(path)
                except OSError:
                    logger.exception("Could not remove the partial file %s", path)
            raise
        written = _files_written.get()
        if written is not None:
            written.append((self, name))
        return name


@contextmanager
def files_follow_transaction():
    """Run a save in a transaction; if it fails, delete the files it wrote."""
    written = []
    token = _files_written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _files_written.reset(token)


def delete_file_after_commit(storage, name, unless=None):
    """Delete `name` once the transaction commits, unless `unless(name)` says then that it is still in use."""
    if not name:
        return

    def delete():
        if unless is not None and unless(name):
            return
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s", name, exc_info=True)

    transaction.on_commit(delete)
