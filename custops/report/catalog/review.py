"""Catalog texts of scorecard, funnels, cohorts, unit economics, KPI alerts and the forecast check (custops.review).

Keys start with ``review.``; each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
