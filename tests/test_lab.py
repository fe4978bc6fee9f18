"""JupyterLab for analysts: the kernel, `make lab`, and a notebook run in the lab by a browser.

The slow tests start ``jupyter lab --no-browser`` on a free 127.0.0.1 port with a token (the
server is always shut down after, within a bounded time), check that ``/api/kernelspecs``
lists the project's ``custops`` kernel, and drive Debian's headless Chromium with Playwright
(never a downloaded browser): open ``02_segmentation.ipynb`` in the lab, run all cells, save,
and find no error output, neither in the page nor in the saved notebook. The lab serves a copy
of the notebooks (outputs never land in the repo) and reads a small demo through
``CUSTOPS_CONFIG``/``CUSTOPS_BUILD_DIR``, as ``make lab`` sets them; notebook 01 is NOT run
first: the chapter builds its inputs itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from custops.report import notebook as nbhelp
from custops.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob(pipeline.NOTEBOOK_GLOB))
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "build" / "screenshots"
START_SECONDS = 90
RUN_SECONDS = 600


def test_make_help_lists_lab():
    out = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    line = next((row for row in plain.splitlines() if row.split()[:1] == ["lab"]), None)
    assert line is not None, plain
    assert "JupyterLab" in line and "notebooks/" in line and "token" in line
    setup = next(row for row in plain.splitlines() if row.split()[:1] == ["setup"])
    assert "kernel" in setup


def test_make_lab_command_has_no_browser_and_the_demo_config():
    """`make -n lab` shows what it would run: jupyter lab on notebooks/, no browser, the
    config and build folder handed to the kernels by environment."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", "setup", "-o", "demo-data", "lab"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "jupyter lab --no-browser" in out
    assert "--ServerApp.root_dir=notebooks" in out
    assert f"CUSTOPS_CONFIG={ROOT}/data/sample/custops.yaml" in out
    assert f"CUSTOPS_BUILD_DIR={ROOT}/build" in out
    assert "--MappingKernelManager.default_kernel_name=custops" in out


def test_notebooks_name_the_custops_kernel_and_resolve_paths_from_the_project():
    assert len(NOTEBOOKS) >= 5
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "custops", path.name
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        # no path relative to the kernel's working directory (papermill#316)
        assert re.search(r"^config = None\b", params.source, re.M), path.name
        assert re.search(r"^build_dir = None\b", params.source, re.M), path.name


def test_default_paths_come_from_the_project_or_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(nbhelp.CONFIG_ENV, raising=False)
    monkeypatch.delenv(nbhelp.BUILD_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # a kernel started elsewhere
    assert nbhelp.resolve_config(None) == ROOT / "data" / "sample" / "custops.yaml"
    assert nbhelp.resolve_build_dir(None) == ROOT / "build"
    monkeypatch.setenv(nbhelp.CONFIG_ENV, str(tmp_path / "my.yaml"))
    monkeypatch.setenv(nbhelp.BUILD_DIR_ENV, "out")
    assert nbhelp.resolve_config(None) == tmp_path / "my.yaml"
    assert nbhelp.resolve_build_dir(None) == tmp_path / "out"
    # an explicit path wins over the environment (papermill passes absolute ones)
    assert nbhelp.resolve_config("/data/x.yaml") == Path("/data/x.yaml")


def _kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return "custops" in KernelSpecManager().find_kernel_specs()


needs_kernel = pytest.mark.skipif(
    not _kernel_registered(),
    reason="the custops kernel is not registered: run `make setup` "
    "(python -m ipykernel install --sys-prefix --name custops)",
)


@needs_kernel
def test_custops_kernel_is_this_venvs_python_and_papermill_uses_it():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("custops")
    assert Path(spec.resource_dir).is_relative_to(Path(sys.prefix))  # --sys-prefix
    # this venv's interpreter (python or python3: the same file)
    assert Path(spec.argv[0]).parent == Path(sys.executable).parent
    assert os.path.samefile(spec.argv[0], sys.executable)
    assert spec.display_name == "custops"
    assert pipeline.kernel_name() == "custops"


# --------------------------------------------------------------------------- the lab itself


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory) -> Path:
    from custops.demo.synth import write_demo_data

    return write_demo_data(tmp_path_factory.mktemp("lab-demo"), n_customers=300, seed=11)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str, timeout: float = 10) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory, small_demo) -> Iterator[dict]:
    """``jupyter lab --no-browser`` on a copy of the notebooks; shut down after the module."""
    tmp = tmp_path_factory.mktemp("lab")
    notebooks = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    build = tmp / "build"
    port = _free_port()
    env = dict(
        os.environ,
        CUSTOPS_CONFIG=str(small_demo),
        CUSTOPS_BUILD_DIR=str(build),
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),  # no user settings leak in
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.pop(pipeline.STAGE_ENV, None)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={notebooks}",
        "--MappingKernelManager.default_kernel_name=custops",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run all, save
        "--LabApp.news_url=",  # no news fetched from the internet
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # no PyPI queries
    ]
    if os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    log = (tmp / "lab.log").open("w")
    proc = subprocess.Popen(
        cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    # the server generates a token and prints the URL carrying it (no browser to open)
    printed = re.compile(rf"{re.escape(base)}/lab\?token=([0-9a-f]{{16,}})")
    try:
        deadline = time.monotonic() + START_SECONDS
        token = None
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{_tail(tmp / 'lab.log')}")
            if token is None and (found := printed.search((tmp / "lab.log").read_text())):
                token = found.group(1)
            try:
                if token is not None:
                    _get(f"{base}/api/status", token, timeout=2)
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab gave no URL with a token in {START_SECONDS} s")
            time.sleep(0.5)
        yield {"base": base, "token": token, "notebooks": notebooks, "build": build, "log": tmp}
    finally:
        _stop(proc)
        log.close()


def _tail(path: Path, n: int = 30) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (server and kernels), SIGKILL after 15 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.mark.slow
@needs_kernel
def test_lab_lists_the_custops_kernel(lab):
    specs = _get(f"{lab['base']}/api/kernelspecs", lab["token"])
    assert "custops" in specs["kernelspecs"], sorted(specs["kernelspecs"])
    assert specs["default"] == "custops"
    assert specs["kernelspecs"]["custops"]["spec"]["display_name"] == "custops"
    # a wrong token is refused
    with pytest.raises(urllib.error.HTTPError, match="403"):
        _get(f"{lab['base']}/api/kernelspecs", "not-the-token")


@pytest.mark.slow
@needs_kernel
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing: apt-get install -y chromium (CI installs it); "
    "Playwright must not download its own browser",
)
def test_segmentation_notebook_runs_in_the_lab_without_errors(lab):
    sync_api = pytest.importorskip("playwright.sync_api")
    name = "02_segmentation.ipynb"
    assert not (lab["build"] / "2025Q4" / "artifacts" / "customer_features.parquet").exists()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page_errors: list[str] = []
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.goto(f"{lab['base']}/lab/tree/{name}?token={lab['token']}", timeout=120_000)
            page.wait_for_function(
                "() => window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
                timeout=120_000,
            )
            # the kernel named in the notebook's metadata is started
            page.wait_for_function(
                "() => { const w = window.jupyterapp.shell.currentWidget;"
                " return w && w.sessionContext && w.sessionContext.session"
                " && w.sessionContext.session.kernel"
                " && w.sessionContext.session.kernel.status === 'idle'; }",
                timeout=120_000,
            )
            kernel = page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name"
            )
            assert kernel == "custops"
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            # done when every code cell shows an execution count (or an error appears)
            page.wait_for_function(
                "() => { const prompts = Array.from(document.querySelectorAll("
                "'.jp-CodeCell .jp-InputArea-prompt')).map(p => p.textContent.trim());"
                " const errors = document.querySelectorAll("
                '\'.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
                " .ansi-red-fg, .jp-OutputArea-output pre .ansi-red-intense-fg');"
                " return errors.length > 0 || (prompts.length > 0"
                " && prompts.every(t => /^\\[\\d+\\]:$/.test(t))); }",
                timeout=RUN_SECONDS * 1000,
                polling=1000,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_timeout(1500)
            text = page.locator(".jp-Notebook").inner_text()
            assert "Traceback" not in text
            # figures rendered as images in the page
            assert page.locator(".jp-RenderedImage img").count() >= 5
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            news = page.locator(".jp-toast-button", has_text="No")
            if news.count():  # "get notified about official Jupyter news?" (nothing fetched)
                news.first.click()
            page.screenshot(path=str(SCREENSHOTS / "lab-02-top.png"))
            page.locator(".jp-RenderedImage img").nth(0).evaluate(
                "img => img.scrollIntoView({block: 'center'})"
            )
            page.wait_for_timeout(800)
            page.screenshot(path=str(SCREENSHOTS / "lab-02-figure.png"))
        finally:
            browser.close()
    saved = _get(f"{lab['base']}/api/contents/{name}?content=1", lab["token"])["content"]
    code = [c for c in saved["cells"] if c["cell_type"] == "code"]
    errors = [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == [], [f"{e['ename']}: {e['evalue']}" for e in errors]
    assert all(c["execution_count"] for c in code), "a code cell did not run"
    assert saved["metadata"]["kernelspec"]["name"] == "custops"
    # the chapter built notebook 01's artifacts itself, and said so
    assert (lab["build"] / "2025Q4" / "artifacts" / "customer_features.parquet").is_file()
    said = json.dumps(code[1]["outputs"])
    assert "building them now" in said and "--only 01" in said
    # the repo's notebooks stay without outputs
    for path in NOTEBOOKS:
        assert all(not c.get("outputs") for c in nbformat.read(path, 4).cells if "outputs" in c)
    assert page_errors == [], page_errors


# --------------------------------------------------------------------------- another period


@pytest.mark.slow
@needs_kernel
def test_chapter_runs_for_another_period_without_running_notebook_01(
    small_demo, tmp_path, monkeypatch
):
    """As an analyst does: change `period` (only that) and run the chapter top to bottom."""
    import papermill

    monkeypatch.setenv(nbhelp.CONFIG_ENV, str(small_demo))
    monkeypatch.setenv(nbhelp.BUILD_DIR_ENV, str(tmp_path / "build"))
    monkeypatch.delenv(pipeline.STAGE_ENV, raising=False)
    elsewhere = tmp_path / "elsewhere"  # the kernel's working directory is not notebooks/
    elsewhere.mkdir()
    out = tmp_path / "02.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "02_segmentation.ipynb"),
        str(out),
        parameters={"period": "2025Q3"},
        kernel_name=pipeline.kernel_name(),
        cwd=str(elsewhere),
        progress_bar=False,
    )
    artifacts = tmp_path / "build" / "2025Q3" / "artifacts"
    assert (artifacts / "customer_features.parquet").is_file()
    assert (artifacts / "segments.parquet").is_file()
    assert not (tmp_path / "build" / "2025Q4").exists()
    import pandas as pd

    features = pd.read_parquet(artifacts / "customer_features.parquet")
    executed = nbformat.read(out, as_version=4)
    said = json.dumps([o for c in executed.cells for o in c.get("outputs", [])])
    assert "The data collection artifacts of 2025Q3" in said
    assert f"{len(features):,} customers" in said
    assert list(elsewhere.iterdir()) == []


def test_missing_inputs_inside_a_staged_run_name_the_only_to_run(small_demo, tmp_path, monkeypatch):
    from custops.chapters import collection
    from custops.core.errors import CustopsError

    monkeypatch.setenv(pipeline.STAGE_ENV, f"{tmp_path / 'live'}{os.pathsep}{tmp_path / 'stage'}")
    ctx = nbhelp.start(small_demo, "2025Q4", tmp_path / "build")
    with pytest.raises(CustopsError, match=r"--period 2025Q4 --only 01") as err:
        collection.ensure_inputs(ctx)
    assert "customer_features.parquet" in str(err.value)
    assert str(small_demo) in str(err.value)
