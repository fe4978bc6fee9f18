"""Small Sphinx fixes for the custops book (loaded via `sphinx.local_extensions`).

* sphinx-thebe is set up twice by Jupyter Book 1 + sphinx-book-theme, so its inline
  ``const THEBE_JS_URL = ...`` script appears twice on every page and the browser reports
  "Identifier 'THEBE_JS_URL' has already been declared" (the togglebutton settings are
  duplicated the same way). Drop duplicate scripts from each page.
"""

from __future__ import annotations

from typing import Any


def _dedupe_scripts(
    app, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple]] = set()
    kept = []
    for script in scripts:
        # an inline script is registered once with filename None and once with ""
        filename = getattr(script, "filename", script) or ""
        attributes = getattr(script, "attributes", {}) or {}
        key = (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
