"""The admin's Korean catalogue is complete and compiled: every string of ours that `makemessages`
finds has a Korean translation that is not fuzzy, and the committed .mo is the .po compiled
(gwangju_site/management/commands/update_messages.py, `make messages`)."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from gwangju_site.management.commands.update_messages import make_messages

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES"


def gettext_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: the catalogue's test needs GNU gettext (apt-get install gettext; "
            ".ci/system-packages test installs it).",
            pytrace=False,
        )
    return path


def msgids(po_text):
    """The msgids of a msgattrib answer, header left out (for the failure message)."""
    found = []
    for block in po_text.split("\n\n"):
        parts, in_msgid = [], False
        for line in block.splitlines():
            if line.startswith("msgid "):
                in_msgid = True
            elif not line.startswith('"'):
                in_msgid = False
            if in_msgid:
                parts.append(line.split('"', 1)[1].rsplit('"', 1)[0])
        if "".join(parts):
            found.append("".join(parts))
    return found


def catalogue(mo_path):
    with open(mo_path, "rb") as mo:
        return dict(gettext.GNUTranslations(mo)._catalog)


@pytest.fixture
def extracted(tmp_path, settings, monkeypatch):
    """The committed catalogue brought up to date with today's sources, in a temporary folder.

    makemessages walks the current folder and writes into its `locale/`: it runs in a folder of
    links to the project's sources, with a copy of the catalogue, so the committed one is untouched."""
    gettext_tool("xgettext")
    gettext_tool("msgmerge")
    project = Path(settings.BASE_DIR)
    for source in project.iterdir():
        if source.name not in {"locale", ".venv", ".git", "var"} and not source.name.startswith("."):
            (tmp_path / source.name).symlink_to(source)
    work = tmp_path / "locale"
    (work / "ko" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", work / "ko" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [work]
    monkeypatch.chdir(tmp_path)
    make_messages(verbosity=0, symlinks=True)
    return work / "ko" / "LC_MESSAGES" / "django.po"


def test_every_string_of_ours_has_a_korean_translation(extracted):
    msgattrib = gettext_tool("msgattrib")
    untranslated = subprocess.run(
        [msgattrib, "--untranslated", "--no-obsolete", str(extracted)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(
        [msgattrib, "--only-fuzzy", "--no-obsolete", str(extracted)], capture_output=True, text=True, check=True
    ).stdout
    missing, unsure = msgids(untranslated), msgids(fuzzy)
    assert not missing, f"no Korean for {len(missing)} string(s) (run `make messages`, translate): {missing[:20]}"
    assert not unsure, f"{len(unsure)} fuzzy translation(s) to check and unflag: {unsure[:20]}"


def test_the_extraction_finds_the_admins_strings(extracted):
    text = extracted.read_text()
    for msgid in ("Submit for review", "Review queue", "Publish now", "news clip", "Language / 언어"):
        assert f'msgid "{msgid}"' in text


def test_the_korean_catalogue_checks_out_with_msgfmt(tmp_path):
    """Placeholders (%(name)s) in each translation match the English, plural forms are declared."""
    msgfmt = gettext_tool("msgfmt")
    subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE / "django.po")],
        check=True,
        capture_output=True,
    )


def test_the_committed_mo_is_the_po_compiled(tmp_path):
    msgfmt = gettext_tool("msgfmt")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    assert catalogue(CATALOGUE / "django.mo") == catalogue(compiled), "run `make messages` and commit django.mo"
