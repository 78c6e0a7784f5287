"""Bring the admin's Korean catalogue up to date (`make messages`): extract every string of ours
into locale/ko/LC_MESSAGES/django.po (translations already there are kept), then compile it to the
django.mo that is committed beside it, so that no machine needs gettext at run time.

New or changed strings arrive untranslated (or "fuzzy", when gettext guessed from a similar one):
translate them in the .po, remove the fuzzy flag, and run this again.
tests/gwangju_site/test_korean_catalogue.py fails until every string has its Korean.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Folders that hold no string the admin shows: tests, benchmarks, deployment, data, and the
# public site's static files (the admin's scripts take their words from the page, news/admin/desk.py).
IGNORED = ["tests", "bench", "deploy", "var", "fixtures", "staticfiles", "static", "locale"]
LANGUAGES = ["ko"]


def make_messages(**options):
    """`makemessages` for our sources only, run from the project's folder."""
    call_command(
        "makemessages",
        locale=LANGUAGES,
        ignore_patterns=IGNORED,
        add_location="file",
        no_obsolete=True,
        symlinks=options.get("symlinks", False),
        verbosity=options.get("verbosity", 1),
    )


class Command(BaseCommand):
    help = "Extract the admin's strings into the Korean catalogue and compile it."

    def handle(self, *args, **options):
        make_messages(verbosity=options["verbosity"])
        call_command(
            "compilemessages", locale=LANGUAGES, ignore_patterns=[".venv", "var"], verbosity=options["verbosity"]
        )
