"""docs/deployment.md documents every environment variable that config/settings.py reads."""

from __future__ import annotations

import re

from django.conf import settings

ENV_READ = re.compile(r"""\benv(?:str|int|bool|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def test_every_environment_variable_is_documented():
    source = (settings.BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8")
    doc = (settings.BASE_DIR / "docs" / "deployment.md").read_text(encoding="utf-8")
    names = sorted(set(ENV_READ.findall(source)))
    assert len(names) > 10, names  # the pattern still finds the helpers' calls
    undocumented = [name for name in names if f"`{name}`" not in doc]
    assert not undocumented, f"add these to the settings tables of docs/deployment.md: {undocumented}"
