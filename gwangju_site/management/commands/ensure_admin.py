"""Make sure a local admin account exists, for `make run`.

The password comes from DJANGO_SUPERUSER_PASSWORD or is generated and printed
once; an existing account is never changed.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local admin account if it does not exist."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account '{username}' already exists; its password is unchanged.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        if os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
            self.stdout.write(
                self.style.SUCCESS(f"Created admin account '{username}' (password from the environment).")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Created admin account '{username}' with password: {password}"))
            self.stdout.write("This password is shown only once.")
