#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gwangju_site.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # Comparing models with migrations reads no secret and serves nothing: it runs on a
        # fresh clone as it is. Every other command, `check` included, needs the production
        # environment unless DEBUG is set (gwangju_site/settings.py).
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
