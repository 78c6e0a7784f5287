from django.core.management.base import BaseCommand

from news.files.zip import fill_missing_crc32


class Command(BaseCommand):
    help = "Store the CRC-32 of attachments that have none, so the ZIP download need not compute it."

    def handle(self, *args, **options):
        filled, missing = fill_missing_crc32()
        self.stdout.write(f"CRC-32 stored for {filled} attachment(s); {missing} file(s) missing.")
