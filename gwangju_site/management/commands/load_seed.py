"""Load the seed content (fixtures/seed.json) and copy its media into storage.

Idempotent and safe to run on every start: a row that already exists is left
exactly as it is, so an editor's changes to the seed content are never undone.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import connection, transaction

from core.text import make_excerpt, plain_text
from news.publishing.base_revisions import ensure_base_revisions

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load the seed news clip, policies and projects, with their media (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(FIXTURES / "seed.json"))

    def handle(self, *args, fixture, **options):
        created = kept = 0
        touched_models = set()
        with transaction.atomic(), open(fixture, encoding="utf-8") as handle:
            for item in serializers.deserialize("json", handle, handle_forward_references=True):
                model = type(item.object)
                if model._default_manager.filter(pk=item.object.pk).exists():
                    kept += 1
                    continue
                if hasattr(item.object, "excerpt") and not item.object.excerpt:
                    # Raw loading skips save(), where the excerpt and the searched text are normally made.
                    item.object.excerpt = make_excerpt(item.object.body)
                    item.object.body_text = plain_text(item.object.body)
                item.save()
                created += 1
                touched_models.add(model)
            self._reset_sequences(touched_models)
            # Raw loading records no history: the seed clips get the base revision they can be restored to.
            ensure_base_revisions()
        copied = self._copy_media()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seed content: {created} row(s) created, {kept} already present; {copied} media file(s) copied."
            )
        )

    def _reset_sequences(self, models):
        # Rows were inserted with explicit ids: move PostgreSQL's sequences past them.
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _copy_media(self):
        storage = storages["protected"]
        source_root = FIXTURES / "media"
        copied = 0
        for source in sorted(source_root.rglob("*")):
            if not source.is_file():
                continue
            name = source.relative_to(source_root).as_posix()
            if storage.exists(name):
                continue
            with source.open("rb") as content:
                # Storage must keep the fixture's name: the rows point at it.
                saved = storage.save(name, content)
            if saved != name:  # pragma: no cover - only if the storage renamed it
                self.stderr.write(f"Stored {name} as {saved}")
            copied += 1
        return copied
