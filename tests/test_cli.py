"""Tests of the ``custops`` command line: help texts, exit codes and messages.

Exit status: 0 ok, 1 a notebook or the book failed, 2 configuration or data error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell

from custops.run import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pipeline_notebooks"
TEMPLATE = ROOT / "book"


def write_config(folder: Path, **extra) -> Path:
    data = {
        "company": "Acme Retail",
        "sources": {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}},
        **extra,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "custops.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def custops(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed ``custops`` command as a user would (no TTY, so no progress bar)."""
    exe = Path(sys.executable).with_name("custops")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "custops.run.cli"]
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600
    )


# --------------------------------------------------------------------------- in-process


def test_help_lists_commands_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ["demo-data", "validate", "run", "book"]:
        assert command in out
    assert (
        "exit status: 0 ok, 1 a notebook or the book failed, 2 configuration or data error" in out
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "run",
            [
                "--config",
                "--period",
                "--out",
                "--only",
                "--allow-warnings",
                "--no-progress",
                "BUILD/P/failed/",
            ],
        ),
        ("book", ["--period", "--config", "--out", "last run"]),
        ("validate", ["--config", "--period", "row ledger"]),
        ("demo-data", ["--out", "--customers", "--seed", "truth.json"]),
        ("pdf", ["--period", "--out", "--language", "--pdf", "--chromium", "make browser-deps"]),
    ],
)
def test_subcommand_help(command, expected, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([command, "--help"])
    assert info.value.code == 0
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    for text in expected:
        assert text in out, text


def test_missing_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([])
    assert info.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_missing_config_exits_2_without_traceback(tmp_path, capsys):
    code = cli.main(["run", "--config", str(tmp_path / "nope.yaml"), "--period", "2025Q4"])
    err = capsys.readouterr().err
    assert code == 2
    assert "nope.yaml does not exist" in err
    assert "Traceback" not in err


def test_bad_period_exits_2(tmp_path, capsys):
    config = write_config(tmp_path)
    code = cli.main(
        ["run", "--config", str(config), "--period", "2025Q9", "--notebooks", str(FIXTURES)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Cannot read the period '2025Q9'" in err
    assert "2025Q4, 2025-11, 2025H2 or 2025" in err


def test_unknown_only_name_exits_2_with_choices(tmp_path, capsys):
    config = write_config(tmp_path)
    code = cli.main(
        [
            "run",
            "--config",
            str(config),
            "--period",
            "2025Q4",
            "--only",
            "reveiw",
            "--notebooks",
            str(FIXTURES),
        ]
    )
    err = re.sub(r"\s+", " ", capsys.readouterr().err)
    assert code == 2
    assert "No notebook matches --only 'reveiw'. Did you mean 'review'?" in err
    assert "01 (collect), 02 (review)" in err
    assert not (tmp_path / "build").exists()


def test_config_errors_are_listed_exit_2(tmp_path, capsys):
    bad = tmp_path / "custops.yaml"
    bad.write_text(
        "sources:\n  orders: {path: o.csv}\n  customers: {path: c.csv}\nchurn:\n  inactivty_days: 90\n"
    )
    code = cli.main(["run", "--config", str(bad), "--period", "2025Q4"])
    err = capsys.readouterr().err
    assert code == 2
    assert "churn.inactivty_days: unknown key (did you mean 'inactivity_days'?)" in err


def test_book_without_previous_run_needs_config(tmp_path, capsys):
    code = cli.main(["book", "--period", "2025Q4", "--out", str(tmp_path / "build")])
    assert code == 2
    assert "No earlier run of 2025Q4" in capsys.readouterr().err


# --------------------------------------------------------------------------- as a user runs it


@pytest.mark.slow
def test_run_then_failure_then_book(tmp_path):
    config = write_config(tmp_path / "cfg")
    common = [
        "--config",
        str(config),
        "--out",
        str(tmp_path / "build"),
        "--notebooks",
        str(FIXTURES),
    ]
    common += ["--book-template", str(TEMPLATE)]

    ok = custops("run", "--period", "2025Q4", *common, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    index = tmp_path / "build" / "2025Q4" / "html" / "index.html"
    assert index.exists()
    assert f"Open {index.as_uri()}" in ok.stdout
    assert re.search(r"01_collect\.ipynb\s+│\s+\d+\.\d\s+│ ok", ok.stdout)
    assert re.search(r"Book build\s+│\s+\d+\.\d\s+│ ok", ok.stdout)
    assert re.search(r"Total\s+│\s+\d+\.\d", ok.stdout)
    assert "[1/2] 01_collect ..." in ok.stderr and "[2/2] 02_review done in" in ok.stderr
    assert "WARNING" not in ok.stderr  # no kernel or Sphinx noise

    bad = custops("run", "--period", "1999Q1", *common, cwd=tmp_path)
    assert bad.returncode == 1
    err = re.sub(r"\s+", " ", bad.stderr)
    assert "error: Notebook 01_collect.ipynb failed in cell In [4]:" in err
    assert "ValueError: no orders before 2000 (asked for 1999Q1)" in err
    assert (
        f"partly executed notebook: {tmp_path / 'build' / '1999Q1' / 'failed' / '01_collect.ipynb'}"
        in err
    )
    assert "Traceback" not in bad.stderr

    again = custops(
        "book",
        "--period",
        "2025Q4",
        "--out",
        str(tmp_path / "build"),
        "--notebooks",
        str(FIXTURES),
        "--book-template",
        str(TEMPLATE),
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert "Book build: " in again.stdout and index.as_uri() in again.stdout


@pytest.mark.slow
def test_data_error_inside_notebook_exits_2(tmp_path):
    notebooks = tmp_path / "nbs"
    shutil.copytree(FIXTURES, notebooks)
    nb_path = notebooks / "01_collect.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(
        4,
        new_code_cell(
            "from custops.core.errors import DataError\n"
            "raise DataError('orders.csv', 'amount', 'has text where numbers belong', examples=[\"row 3: 'abc'\"])"
        ),
    )
    nbformat.write(nb, nb_path)
    config = write_config(tmp_path / "cfg")
    result = custops(
        "run",
        "--config",
        str(config),
        "--period",
        "2025Q4",
        "--out",
        str(tmp_path / "build"),
        "--notebooks",
        str(notebooks),
        "--book-template",
        str(TEMPLATE),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    err = result.stderr
    assert "DataError: orders.csv, column 'amount': has text where numbers belong" in err
    assert "row 3: 'abc'" in err
    assert not (tmp_path / "build" / "2025Q4" / "html").exists()
