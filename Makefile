# custops — run `make help` for the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PERIOD ?= 2025Q4
CONFIG ?= data/sample/custops.yaml
CUSTOMERS ?= 5000
CONSTRAINTS := requirements/constraints.txt
PIP_INSTALL := $(BIN)/pip install --disable-pip-version-check -q -c $(CONSTRAINTS)
KERNEL := $(VENV)/share/jupyter/kernels/custops/kernel.json
LAB_IP ?= 127.0.0.1
LAB_PORT ?= 8888

.DEFAULT_GOAL := help
.PHONY: real-data help setup setup-spark demo demo-data validate report pdf test test-fast lint format lock clean browser-deps lab

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/custops: pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --disable-pip-version-check -q --upgrade pip
	@echo "installing custops and its pinned dependencies into $(VENV) (first time: a few minutes)"
	@$(PIP_INSTALL) -e ".[dev]"
	@touch $(BIN)/custops

$(KERNEL): $(BIN)/custops
	@$(BIN)/python -m ipykernel install --sys-prefix --name custops --display-name "custops" >/dev/null
	@echo "registered the Jupyter kernel 'custops' inside $(VENV) (used by JupyterLab and papermill)"

setup: $(BIN)/custops $(KERNEL) ## Create .venv, install custops with pinned dependencies, register the custops kernel

setup-spark: setup ## Also install the Spark extra (needs Java 17)
	@$(PIP_INSTALL) -e ".[dev,spark]"

data/sample/custops.yaml: | $(BIN)/custops
	$(BIN)/custops demo-data --out data/sample --customers $(CUSTOMERS)

demo-data: data/sample/custops.yaml ## Generate the demo company into data/sample/

validate: demo-data ## Read, map and clean the sources; print the row ledger
	$(BIN)/custops validate --config $(CONFIG) --period $(PERIOD)

demo: demo-data ## Set everything up and build the report on the demo data
	$(BIN)/custops run --config $(CONFIG) --period $(PERIOD) --out build

lab: setup $(if $(filter data/sample/custops.yaml,$(CONFIG)),demo-data) ## Open JupyterLab on notebooks/ with CONFIG (the demo by default); prints the URL with its token
	@echo "JupyterLab on notebooks/ with the config $(abspath $(CONFIG)) and the build folder $(abspath build)"
	@echo "open the http://$(LAB_IP):$(LAB_PORT)/lab?token=... URL printed below; Ctrl-C stops the server"
	CUSTOPS_CONFIG=$(abspath $(CONFIG)) CUSTOPS_BUILD_DIR=$(abspath build) \
	  $(BIN)/jupyter lab --no-browser --ip=$(LAB_IP) --port=$(LAB_PORT) \
	  --ServerApp.root_dir=notebooks --MappingKernelManager.default_kernel_name=custops \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

real-data: setup ## Build the report on every real export in data/real/*.yaml (reads ../shared/data/real)
	$(BIN)/python tools/real_data.py data/real/*.yaml --out build/real

report: setup ## Build the report for CONFIG and PERIOD (e.g. make report CONFIG=my.yaml PERIOD=2026Q1)
	$(BIN)/custops run --config $(CONFIG) --period $(PERIOD) --out build

pdf: setup ## Print the landing page and chapters of a built PERIOD into one PDF (LANGUAGE=zh; needs make browser-deps)
	$(BIN)/custops pdf --out build --period $(PERIOD) $(if $(LANGUAGE),--language $(LANGUAGE))

lint: setup ## ruff lint + format check + import-linter layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup-spark lint ## Install everything and run the whole test suite
	$(BIN)/pytest -n 2 --dist loadgroup -q

test-fast: setup ## Unit tests only (skips notebook, book and Spark runs)
	$(BIN)/pytest -q -m "not slow and not spark"

browser-deps: ## Install Debian's headless Chromium for the browser check (needs root)
	apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null

lock: ## Re-pin dependencies from the current .venv into requirements/constraints.txt
	$(BIN)/pip freeze --exclude-editable --disable-pip-version-check | grep -v '^-e' > $(CONSTRAINTS)

clean: ## Remove build outputs (keeps .venv and data/sample)
	rm -rf build .pytest_cache .ruff_cache
