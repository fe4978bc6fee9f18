"""Small Sphinx fixes for the custops book (loaded via `sphinx.local_extensions`).

* sphinx-thebe is set up twice by Jupyter Book 1 + sphinx-book-theme, so its inline
  ``const THEBE_JS_URL = ...`` script appears twice on every page and the browser reports
  "Identifier 'THEBE_JS_URL' has already been declared" (the togglebutton settings are
  duplicated the same way). Drop duplicate scripts from each page.
* ``custops_editions`` (language -> {"folder", "label"}, filled per run): every page gets a
  link to the same page of the other edition, which is built beside this one
  (``build/<P>/html`` and ``build/<P>/html-zh``).
"""

from __future__ import annotations

from html import escape
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


def _edition_links(app, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    editions = app.config.custops_editions or {}
    if not editions or "body" not in context:
        return
    up = "../" * (pagename.count("/") + 1)  # from this page to build/<P>/
    links = "".join(
        f'<a class="custops-edition-link" hreflang="{escape(lang)}" lang="{escape(lang)}" '
        f'href="{up}{escape(item["folder"])}/{escape(pagename)}.html">{escape(item["label"])}</a>'
        for lang, item in sorted(editions.items())
    )
    context["body"] = f'<nav class="custops-editions">{links}</nav>\n' + context["body"]


def setup(app) -> dict[str, Any]:
    app.add_config_value("custops_editions", {}, "html")
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _edition_links, priority=901)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
