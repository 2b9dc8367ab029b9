"""Front-end files taken from node_modules (installed from the npm registry by `npm ci`) into var/vendor/.

Only the files the pages use are copied, so collectstatic stays small and fast. No CDN at run time.
"""

from __future__ import annotations

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NODE = BASE_DIR / "node_modules"

# (source under node_modules, destination under the vendor folder)
ASSETS = [
    ("@tabler/core/dist/css/tabler.min.css", "tabler/tabler.min.css"),
    ("@tabler/core/dist/js/tabler.min.js", "tabler/tabler.min.js"),
    ("@tabler/icons-webfont/dist/tabler-icons.min.css", "tabler-icons/tabler-icons.min.css"),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.woff2", "tabler-icons/fonts/tabler-icons.woff2"),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.woff", "tabler-icons/fonts/tabler-icons.woff"),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.ttf", "tabler-icons/fonts/tabler-icons.ttf"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
]


# Source maps are not shipped, so their references are dropped: collectstatic's manifest storage would
# otherwise fail on the missing .map files.
SOURCE_MAP = re.compile(rb"\n?(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S*)\s*$")


def copy_assets(vendor_dir: Path) -> list[str]:
    """Copy the declared files; raise with a clear message when `npm ci` has not been run."""
    missing = [src for src, _ in ASSETS if not (NODE / src).exists()]
    if missing:
        raise FileNotFoundError(
            "Front-end packages are missing (run `npm ci` or `make install`): " + ", ".join(missing)
        )
    copied = []
    for src, dest in ASSETS:
        target = vendor_dir / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (NODE / src).read_bytes()
        if target.suffix in {".css", ".js"}:
            data = SOURCE_MAP.sub(b"", data)
        # Rewrite only what changed, so a second `make run` leaves collectstatic nothing to do.
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        copied.append(dest)
    return copied
