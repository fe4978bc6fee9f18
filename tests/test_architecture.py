"""The package's shape: layers (import-linter), no import cycle, no private import across modules."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "custops"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _private_imports(source: str, module: str) -> list[str]:
    """``from custops.x import _name`` statements of ``source`` that reach into another module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("custops"):
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and node.module != module:
                    found.append(f"{module}: from {node.module} import {alias.name}")
    return found


def test_private_import_detector_sees_one() -> None:
    src = "from custops.survival.health import _order_codes\nfrom custops.core import stats\n"
    assert _private_imports(src, "custops.review.alerts") == [
        "custops.review.alerts: from custops.survival.health import _order_codes"
    ]
    assert _private_imports(src, "custops.survival.health") == []


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for name, path in _modules().items():
        found += _private_imports(path.read_text(encoding="utf-8"), name)
    assert found == []


def _cycles(graph: grimp.ImportGraph, modules: list[str]) -> list[list[str]]:
    """Every import cycle among ``modules`` (each as a list of module names), by depth-first search."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in edges[m]:
            if state.get(n) == 1:
                cycles.append([*stack[stack.index(n) :], n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in modules:
        if m not in state:
            visit(m)
    return cycles


def test_no_import_cycle_between_modules() -> None:
    graph = grimp.build_graph(
        "custops", include_external_packages=False, exclude_type_checking_imports=True
    )
    # packages' __init__ files are left out: `import custops.x.y` runs them, which is no cycle
    files = _modules()
    modules = sorted(m for m in graph.modules if m in files and files[m].name != "__init__.py")
    assert _cycles(graph, modules) == []


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph, ["p.a", "p.b", "p.c"]) == [["p.a", "p.b", "p.a"]]


@pytest.mark.skipif(
    shutil.which("lint-imports") is None
    and not Path(sys.executable).with_name("lint-imports").exists(),
    reason="import-linter not installed",
)
def test_import_linter_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    out = subprocess.run([exe], cwd=PACKAGE.parent, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


# --------------------------------------------------------------------------- no hidden caches


def _module_caches(source: str) -> list[str]:
    """Module-level mutable containers and ``weakref`` imports of a module's source.

    A module-level ``dict``/``list``/``set`` literal or call that is assigned and never
    reassigned is a constant table when its name is in CAPITALS (``_LABELS = {...}``, read
    only); a lower-case or empty one (``_cache: dict = {}``, ``_PREP = {}``), or any
    ``weakref`` import, is hidden state.
    """
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(n == "weakref" or n.startswith("weakref.") for n in names):
                found.append(f"line {node.lineno}: imports weakref")
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for target in targets:
            if not isinstance(target, ast.Name) or target.id.startswith("__"):
                continue
            mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in {"dict", "list", "set", "defaultdict", "OrderedDict"}
            )
            empty = (
                isinstance(value, ast.Dict | ast.List | ast.Set)
                and not getattr(value, "keys", getattr(value, "elts", None))
            ) or (isinstance(value, ast.Call) and not value.args and not value.keywords)
            constant_name = target.id.lstrip("_").isupper()
            if mutable and (empty or not constant_name):
                found.append(f"line {node.lineno}: module-level {target.id}")
    return found


def test_cache_detector_sees_the_old_caches() -> None:
    src = (
        "import weakref\n_ORDER_KEYS: dict = {}\n_cache = {}\n_LABELS = {'a': 'b'}\n"
        "EVENTS = {'x': 1}\n_seen = set()\n"
    )
    assert _module_caches(src) == [
        "line 1: imports weakref",
        "line 2: module-level _ORDER_KEYS",
        "line 3: module-level _cache",
        "line 6: module-level _seen",
    ]


#: module-level containers that are not caches (none needed today)
CACHE_ALLOW: set[str] = set()


def test_no_module_level_caches_or_weak_references() -> None:
    found = []
    for name, path in _modules().items():
        found += [
            f"{name}: {f}"
            for f in _module_caches(path.read_text(encoding="utf-8"))
            if f"{name}: {f}" not in CACHE_ALLOW
        ]
    assert found == []


# --------------------------------------------------------------------------- glue keys

NOTEBOOKS = PACKAGE.parent / "notebooks"


def _string_literals() -> dict[str, list[str]]:
    """Every string constant of the package -> where it occurs.

    Docstrings and ``__all__`` lists (names of Python objects, e.g. the function
    ``nps.nps_value``) are left out.
    """
    out: dict[str, list[str]] = {}
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        docstrings |= {
            id(e)
            for n in tree.body
            if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
            for e in ast.walk(n.value)
        }
        for n in ast.walk(tree):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings:
                out.setdefault(n.value, []).append(f"{name}:{n.lineno}")
    return out


def _function(module: str, name: str) -> ast.FunctionDef:
    path = _modules()[module]
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise AssertionError(f"{module}.{name} not found")


def _produced_keys(fn: ast.FunctionDef) -> tuple[set[str], list[str]]:
    """Glue keys a headline function produces: the literal first argument of each
    ``Headline("key", ...)`` call, or of a call to a helper defined inside the function that
    passes its first parameter on as the key (``hazard_ratio("churn_hr_slow", ...)``).
    A ``Headline`` whose key is neither (an f-string, a variable) is reported as dynamic."""
    keys, dynamic = set(), []
    helpers: dict[str, str] = {}  # nested function -> the parameter it uses as the key
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.FunctionDef)
            and node is not fn
            and node.args.args
            and any(
                isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "Headline"
                for c in ast.walk(node)
            )
        ):
            helpers[node.name] = node.args.args[0].arg
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        first = node.args[0]
        if node.func.id in ("Headline", *helpers):
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
            elif not (isinstance(first, ast.Name) and first.id in helpers.values()):
                dynamic.append(f"{fn.name}:{node.lineno}")
    return keys, dynamic


def _imports(module: str) -> dict[str, str]:
    """``name -> qualified name`` of the module-level ``from custops... import`` statements."""
    out = {}
    for node in ast.parse(_modules()[module].read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("custops"):
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _producer(module: str, name: str) -> tuple[str, ast.FunctionDef, list[str]]:
    """The function that builds the headlines a notebook glues, and the typing problems seen.

    A chapter function (``custops.chapters.*``) may hand on what a domain function returns
    (``return clv.value_headlines(...)``, or ``Headlines([])`` when the section did not run):
    its one delegate, followed to the function that writes the ``Headline("key", ...)``s."""
    fn = _function(module, name)
    problems = []
    if fn.returns is None or ast.unparse(fn.returns) != "Headlines":
        problems.append(f"{module}.{fn.name}: returns no typed Headlines")
    if _produced_keys(fn)[0] or not module.startswith("custops.chapters."):
        return module, fn, problems
    imports, delegates = _imports(module), set()
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Return) and isinstance(node.value, ast.Call)):
            continue
        call = node.value.func
        if isinstance(call, ast.Name) and call.id == "Headlines":
            continue  # nothing to glue
        if isinstance(call, ast.Attribute) and isinstance(call.value, ast.Name):
            delegates.add((imports[call.value.id], call.attr))
        elif isinstance(call, ast.Name) and call.id in imports:
            delegates.add(tuple(imports[call.id].rsplit(".", 1)))
        else:
            problems.append(f"{module}.{fn.name}: returns {ast.unparse(node.value)}")
    assert len(delegates) == 1, f"{module}.{fn.name} hands on {sorted(delegates)}"
    target, inner, more = _producer(*delegates.pop())
    return target, inner, problems + more


def _notebook_glue() -> tuple[dict[str, str], list[str]]:
    """(``notebook:module.function`` glued -> its module, glue calls with a literal key)."""
    import json

    producers: dict[str, str] = {}
    inline = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        tree = ast.parse(source)
        alias = {}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("custops")
            ):
                for a in node.names:
                    alias[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "glue" and node.args and isinstance(node.args[0], ast.Constant):
                inline.append(f"{path.name}: glue({node.args[0].value!r}, ...)")
            if node.func.attr != "glue_headlines":
                continue
            # nb.glue_headlines(module.function(...))
            inner = node.args[0]
            assert isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute), (
                ast.unparse(node)
            )
            module = alias[inner.func.value.id]
            producers[f"{path.name}:{module}.{inner.func.attr}"] = module
    return producers, inline


def test_every_glued_key_is_produced_by_one_function_found_by_one_grep() -> None:
    producers, inline = _notebook_glue()
    assert inline == [], "notebooks glue what a custops function returns, not their own keys"
    assert len(producers) >= 10, sorted(producers)
    literals = _string_literals()
    problems, keys = [], {}
    for where, module in sorted(producers.items()):
        target, fn, typing_problems = _producer(module, where.rsplit(".", 1)[1])
        problems += typing_problems
        produced, dynamic = _produced_keys(fn)
        problems += [f"{target}.{d}: key built dynamically" for d in dynamic]
        assert produced, where
        for key in produced:
            assert key not in keys, f"{key} glued by {keys[key]} and {where}"
            keys[key] = where
            places = literals.get(key, [])
            if len(places) != 1:
                problems.append(f"{key}: literal in {places or 'no place'} (want exactly one)")
    assert problems == []
    assert {"churn_health_red_share", "churn_value_at_risk_total", "nps_value"} <= set(keys)


def test_every_glued_key_has_a_label_in_both_languages() -> None:
    """The "All figures" page names each number from the text catalog (``glue.<key>``); a key
    without a label shows as its spelling ("Btyd clv spearman"), in English in both editions."""
    from custops.report.text import CATALOG

    producers, _ = _notebook_glue()
    missing = []
    for where, module in sorted(producers.items()):
        keys, _ = _produced_keys(_function(module, where.rsplit(".", 1)[1]))
        for key in sorted(keys):
            # glue_label also reads the key without its chapter prefix (nps_csat_mean -> csat_mean)
            entries = [CATALOG.get(f"glue.{k}", {}) for k in (key, key.split("_", 1)[1])]
            if not any(e.get("en") and e.get("zh") for e in entries):
                missing.append(key)
    assert missing == []


def test_chapter_delegation_is_followed_to_the_function_with_the_keys() -> None:
    module, fn, problems = _producer("custops.chapters.segmentation", "headlines")
    assert (module, fn.name, problems) == ("custops.segments.segmentation", "headlines", [])
    assert "seg_top_share" in _produced_keys(fn)[0]


# --------------------------------------------------------------------------- artifact names

#: how an artifact file name looks (``segments.parquet``, ``ledger.csv``)
ARTIFACT_NAME = re.compile(r"^[\w.-]+\.(csv|parquet|json)$")


def _notebook_code_cells() -> list[tuple[str, str, str]]:
    """``(notebook, cell id, source)`` of every code cell of the five notebooks."""
    import json

    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                out.append((path.name, cell.get("id", "?"), "".join(cell["source"])))
    return out


def _chapter_artifacts() -> dict[str, str]:
    """The artifact names the chapters write: module-level string constants of
    ``custops/chapters`` that look like a file name -> the module defining it."""
    out: dict[str, str] = {}
    for name, path in _modules().items():
        if not name.startswith("custops.chapters."):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and ARTIFACT_NAME.match(value.value)
            ):
                assert value.value not in out, f"{value.value} defined in {out[value.value]} too"
                out[value.value] = name
    return out


def test_notebook_cells_name_no_artifact_and_write_none() -> None:
    found = []
    for notebook, cell_id, source in _notebook_code_cells():
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.search(r"\.(csv|parquet|json)$", node.value)
            ):
                found.append(f"{notebook} cell {cell_id}: {node.value!r}")
        if "write_artifact(" in source or "read_artifact(" in source:
            found.append(f"{notebook} cell {cell_id}: reads or writes an artifact itself")
    assert found == [], "artifacts are read and written by custops.chapters"


def test_artifact_names_are_literals_only_in_the_chapter_that_writes_them() -> None:
    written = _chapter_artifacts()
    assert {
        "customer_features.parquet",
        "segments.parquet",
        "churn_scores.parquet",
        "health_scores.parquet",
        "nps_summary.csv",
        "agent_stats.csv",
        "scorecard.csv",
        "forecast_checks.csv",
    } <= set(written), sorted(written)
    literals = _string_literals()
    found = []
    for name, owner in sorted(written.items()):
        for place in literals.get(name, []):
            module = place.split(":")[0]
            if module != owner:
                found.append(f"{place}: {name!r} (defined in {owner})")
    assert found == []


# --------------------------------------------------------------------------- notebooks thin


#: what a notebook cell may not do itself: draw, aggregate, or word a sentence per language
NOTEBOOK_FORBIDDEN = {
    "draws a figure": re.compile(r"\bplt\.|\bplots\.|\.plot\(|\bplot_\w+\("),
    "computes on a frame": re.compile(r"\.groupby\(|\.describe\(\)|\.merge\(|\.pivot"),
    "branches on the language": re.compile(r"\blanguage\s*==|\blang\s*=="),
}


def test_notebook_cells_compute_and_draw_nothing_themselves() -> None:
    """Every figure and table of a notebook comes from a chapter function (one call per cell)."""
    found = []
    for notebook, cell_id, source in _notebook_code_cells():
        for what, pattern in NOTEBOOK_FORBIDDEN.items():
            if pattern.search(source):
                found.append(f"{notebook} cell {cell_id} {what}: {pattern.search(source).group()}")
    assert found == []


def test_notebook_check_sees_an_inline_chart() -> None:
    cell = 'plots.ledger_chart(sources, title="t")\nnb.table(x.groupby("a").head(2))'
    hits = [what for what, p in NOTEBOOK_FORBIDDEN.items() if p.search(cell)]
    assert hits == ["draws a figure", "computes on a frame"]


# --------------------------------------------------------------------------- prose and plots

#: packages whose code computes (or assembles a chapter) and so never words a sentence itself
ANALYSIS_PACKAGES = (
    "core",
    "ingest",
    "features",
    "segments",
    "survival",
    "voice",
    "review",
    "chapters",
)
#: a choice of words by the report language, in any of the forms it took before the catalog
LANGUAGE_BRANCH = re.compile(
    r"""\blang(uage)?\s*[!=]=|[!=]=\s*["'](zh|en)["']|["']zh["']\s+if\b|\bif\s+zh\b"""
    r"""|\bzh\s*=\s*lang|\[\s*1\s+if\s+zh|["']zh["']\s*:"""
)
#: modules that choose by the language of a text rather than of the report, with the reason
LANGUAGE_BRANCH_EXCEPTIONS = {
    # the language of a customer's comment picks its tokenizer and lexicon (not report prose)
    "custops.voice.sentiment",
    "custops.voice.text_mining",
}


def _language_branches(source: str) -> list[str]:
    """Lines of ``source`` (comments and docstrings aside) that choose words by language."""
    found = []
    tree = ast.parse(source)
    docs = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docs.update(range(value.lineno, value.end_lineno + 1))
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        if number not in docs and LANGUAGE_BRANCH.search(code):
            found.append(f"line {number}: {line.strip()}")
    return found


def test_language_branch_detector_sees_the_old_forms() -> None:
    src = (
        '"""Doc: lang == "zh" here is prose."""\n'
        'a = "小时" if lang == "zh" else "h"\n'
        'zh = lang == "zh"\n'
        "b = x[1 if zh else 0]\n"
        'c = {"en": "x", "zh": "y"}[lang]\n'
        'd = t("key", lang)  # lang == "zh" in a comment\n'
    )
    assert [f.split(":")[0] for f in _language_branches(src)] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
    ]


def test_analysis_code_takes_its_words_from_the_catalog() -> None:
    """No ``if lang == ...`` in the analysis and chapter packages: sentences are catalog
    entries (``custops.report.catalog``) looked up with ``t(key, lang, ...)``."""
    found = []
    for name, path in _modules().items():
        package = name.split(".")[1] if name.count(".") else ""
        if package not in ANALYSIS_PACKAGES or name in LANGUAGE_BRANCH_EXCEPTIONS:
            continue
        found += [f"{name} {f}" for f in _language_branches(path.read_text(encoding="utf-8"))]
    assert found == []


def _plot_functions() -> list[tuple[str, str, object]]:
    """``(module, name, function)`` of every plot function and method of the analysis
    packages and ``report.plots``: names ``plot_*`` or ``*_chart`` (chapter sections aside)."""
    import importlib
    import inspect

    out = []
    for name in sorted(_modules()):
        package = name.split(".")[1] if name.count(".") else ""
        if package not in ("segments", "survival", "voice", "review", "features", "report"):
            continue
        module = importlib.import_module(name)
        members = list(inspect.getmembers(module, inspect.isfunction))
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name:
                members += [(f"{cls.__name__}.{n}", f) for n, f in vars(cls).items() if callable(f)]
        for label, function in members:
            short = label.rsplit(".", 1)[-1]
            if getattr(function, "__module__", name) != name:
                continue
            if short.startswith("plot_") or short.endswith("_chart"):
                out.append((name, label, function))
    return out


def test_every_plot_takes_the_axes_to_draw_into() -> None:
    """A plot draws into ``ax`` (or ``axes``) when given one and returns it (each domain's
    tests check the drawing); a function that computes chart data is not named like a plot."""
    import inspect

    plots = _plot_functions()
    assert len(plots) >= 25, [p[:2] for p in plots]
    missing = [
        f"{module}.{label}"
        for module, label, function in plots
        if not {"ax", "axes"} & set(inspect.signature(function).parameters)
    ]
    assert missing == []
