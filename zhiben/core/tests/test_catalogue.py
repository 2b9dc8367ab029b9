"""The zh_Hans catalogue translates every UI string: Chinese is the users' language (BRIEF.md).

makemessages extracts the msgids of the code and templates from a copy of the sources into a scratch
catalogue; each one must have a non-empty, non-fuzzy msgstr in locale/zh_Hans/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import os
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

SOURCES = ["zhiben", "config", "templates"]
CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _needs_gettext() -> None:
    """makemessages runs GNU gettext; .ci/run installs it, so only a developer's machine may lack it."""
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return
    if os.environ.get("CI"):
        pytest.fail("GNU gettext (xgettext, msgmerge) is needed to extract the catalogue's msgids")
    pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")


def _extracted_msgids(workdir, settings_fixture, monkeypatch) -> list[polib.POEntry]:
    """Run makemessages on a copy of the sources, so the real catalogue is never touched."""
    for name in SOURCES:
        shutil.copytree(settings.BASE_DIR / name, workdir / name,
                        ignore=shutil.ignore_patterns("__pycache__", "tests", "migrations", "*.pyc"))
    (workdir / "locale").mkdir()
    settings_fixture.LOCALE_PATHS = [workdir / "locale"]
    monkeypatch.chdir(workdir)
    call_command("makemessages", locale=["zh_Hans"], domain="django", extensions=["html", "txt", "py"],
                 no_location=True, verbosity=0)
    return [entry for entry in polib.pofile(str(workdir / "locale/zh_Hans/LC_MESSAGES/django.po"))
            if not entry.obsolete]


def _translated(entry: polib.POEntry | None) -> bool:
    if entry is None or entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(text.strip() for text in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def test_every_ui_string_has_a_chinese_translation(tmp_path, settings, monkeypatch):
    _needs_gettext()
    extracted = _extracted_msgids(tmp_path, settings, monkeypatch)
    assert extracted, "makemessages found no msgid at all: the extraction itself is broken"
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing"
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [
        entry.msgid if not entry.msgctxt else f"{entry.msgctxt}|{entry.msgid}"
        for entry in extracted
        if not _translated(catalogue.find(entry.msgid, msgctxt=entry.msgctxt))
    ]
    assert not missing, f"{len(missing)} of {len(extracted)} msgids untranslated or fuzzy: {missing[:30]}"
    fuzzy = [entry.msgid for entry in catalogue if entry.fuzzy and not entry.obsolete]
    assert not fuzzy, f"fuzzy entries left in the catalogue: {fuzzy[:30]}"
