"""The repository stays clean: notebooks without outputs, the README's two commands, CI calls the test one."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_numbered_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert "01_data_collection.ipynb" in names
    assert all(re.match(r"\d\d_[a-z_]+\.ipynb$", n) for n in names), names


def test_committed_notebooks_carry_no_outputs():
    dirty = []
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell.get("outputs") or cell.get("execution_count"):
                dirty.append(f"{path.name} cell {i}")
    assert not dirty, f"strip outputs (executed copies belong under build/): {dirty}"


def test_notebooks_have_one_tagged_parameters_cell_with_the_standard_names():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        source = "".join(tagged[0]["source"])
        for name in ("period", "config", "build_dir"):
            assert re.search(rf"^{name}\s*=", source, re.M), (path.name, name)


def test_notebooks_define_no_functions():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert not re.search(r"^\s*(def|class) ", code, re.M), (
            f"{path.name}: logic belongs in custops/"
        )


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z-]+):", makefile, re.M)
    documented = re.findall(r"^([a-z-]+):.*## ", makefile, re.M)
    assert set(targets) == set(documented), set(targets) - set(documented)
