"""The PDCA action register the team keeps beside the exports (``review.actions``).

A YAML file with an ``actions:`` list or a CSV, read and checked here like a source; the
review chapter joins it to the scorecard (:func:`custops.review.scorecard.action_register`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from custops.core.errors import ConfigError

__all__ = ["ACTION_FIELDS", "load_actions", "read_actions"]

#: the fields every action has
ACTION_FIELDS = ("issue", "action", "owner", "due", "status", "kpi")


def load_actions(path: str | Path) -> pd.DataFrame:
    """Read the PDCA action register: a YAML file with an ``actions:`` list, or a CSV.

    Parameters
    ----------
    path : str or Path
        ``cfg.resolve(cfg.review.actions)``.

    Returns
    -------
    DataFrame
        ``issue, action, owner, due`` (date), ``status`` (lower case), ``kpi``.

    Raises
    ------
    ConfigError
        When the file is missing, has no ``actions`` list, lacks a field or has a bad date
        (every problem listed).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = p.write_text("actions:\\n- {issue: i, action: a, owner: o, due: 2025-12-01, status: Open, kpi: nps}\\n")
    >>> load_actions(p)[["due", "status"]].to_dict("records")
    [{'due': datetime.date(2025, 12, 1), 'status': 'open'}]
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"The action register {path} does not exist.",
            cause="`review.actions` in the config points to a file that is not there.",
            fix="Correct the path (it is relative to the config file) or remove `review.actions`.",
        )
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    else:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        items = raw.get("actions") if isinstance(raw, dict) else raw
        if not isinstance(items, list):
            raise ConfigError(
                f"{path} has no `actions:` list.",
                fix="Write the register as `actions:` followed by one `- issue: ...` item per action.",
            )
        frame = pd.DataFrame(items)
    problems = []
    missing = [f for f in ACTION_FIELDS if f not in frame.columns]
    if missing:
        problems.append(f"missing field(s) {missing}; every action needs {list(ACTION_FIELDS)}")
    else:
        due = pd.to_datetime(frame["due"].astype(str), errors="coerce")
        for i in np.flatnonzero(due.isna().to_numpy()):
            problems.append(
                f"action {i + 1} ({frame['issue'].iloc[i]!r}): unreadable due date {frame['due'].iloc[i]!r}"
            )
    if problems:
        raise ConfigError(
            f"{path}: {len(problems)} problem(s) in the action register:\n"
            + "\n".join(f"  - {p}" for p in problems),
            fix="Correct the register; dates are written like 2025-12-31.",
        )
    out = frame[list(ACTION_FIELDS)].copy()
    out["due"] = pd.to_datetime(out["due"].astype(str)).dt.date
    out["status"] = out["status"].astype(str).str.strip().str.lower()
    for column in ("issue", "action", "owner", "kpi"):
        out[column] = out[column].astype(str).str.strip()
    return out


def read_actions(cfg: Any) -> pd.DataFrame | None:
    """The action register named by ``cfg.review.actions`` (path relative to the config), or None.

    Examples
    --------
    >>> from custops.core.config import ReportConfig
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> read_actions(cfg) is None
    True
    """
    if not cfg.review.actions:
        return None
    return load_actions(cfg.resolve(cfg.review.actions))
