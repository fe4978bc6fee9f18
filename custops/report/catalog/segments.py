"""Catalog texts of segmentation (custops.segments), features and timing (custops.features), cleaning (custops.ingest).

Keys start with ``segments.``; each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
