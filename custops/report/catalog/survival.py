"""Catalog texts of churn, Kaplan-Meier, Cox, CLV, health score, behaviour paths and BTYD (custops.survival).

Keys start with ``survival.``; each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
