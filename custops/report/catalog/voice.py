"""Catalog texts of NPS, service experience, agents, sentiment and comment themes (custops.voice).

Keys start with ``voice.``; each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
