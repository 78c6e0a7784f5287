from django.core.management.base import BaseCommand

from news.files.staging import LIFETIME, clear_expired


class Command(BaseCommand):
    help = f"Remove uploads kept across form errors that were never saved (older than {LIFETIME})."

    def handle(self, *args, **options):
        removed = clear_expired()
        self.stdout.write(f"{removed} expired staged upload(s) removed.")
