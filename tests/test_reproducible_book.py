"""The published book is byte-identical between two runs of the same inputs (issue 19).

No ``SOURCE_DATE_EPOCH``: pandas Styler table ids, object addresses in reprs, execution
times and durations must not reach the HTML. The small demo is built twice with the real
command line, into two folders, and every HTML file is compared byte for byte; a failure
names the first differing file and line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("custops")
PERIOD = "2025Q4"


def _custops(*args: str, env: dict) -> None:
    proc = subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env=env, timeout=1800, check=False
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _first_difference(a: Path, b: Path) -> str:
    left = a.read_text(encoding="utf-8", errors="replace").splitlines()
    right = b.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, (x, y) in enumerate(zip(left, right, strict=False), start=1):
        if x != y:
            return f"line {number}:\n  run 1: {x[:300]}\n  run 2: {y[:300]}"
    return f"the files have {len(left)} and {len(right)} lines"


@pytest.mark.slow
def test_book_html_is_byte_identical_for_the_same_inputs(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(COLUMNS="200", NO_COLOR="1")
    demo = tmp_path / "demo"
    _custops("demo-data", "--out", str(demo), "--customers", "200", env=env)
    for build in ("one", "two"):
        _custops(
            "run",
            "--config",
            str(demo / "custops.yaml"),
            "--period",
            PERIOD,
            "--out",
            str(tmp_path / build),
            env=env,
        )
    html = [tmp_path / build / PERIOD / "html" for build in ("one", "two")]
    pages = sorted(p.relative_to(html[0]) for p in html[0].rglob("*.html"))
    assert sorted(p.relative_to(html[1]) for p in html[1].rglob("*.html")) == pages
    assert len(pages) >= 8  # landing page, methods, the five chapters, the index ...
    for page in pages:
        one, two = html[0] / page, html[1] / page
        if one.read_bytes() != two.read_bytes():
            pytest.fail(f"{page} differs between two runs, first at {_first_difference(one, two)}")
