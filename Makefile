# sayso: the two commands are `make demo` and `make test`; both set everything up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POLNEAR ?= ../shared/data/polnear

.PHONY: install demo test test-all bench eval clean

$(BIN)/sayso: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/sayso  ## create .venv with sayso, its dependencies and the spaCy pipeline

demo: $(BIN)/sayso  ## extract the attributions of the bundled example article
	$(BIN)/sayso extract examples/harbor-bridge.txt

test: $(BIN)/sayso  ## the test suite (fast tests; a few minutes)
	$(BIN)/python -m pytest -m "not slow"

test-all: $(BIN)/sayso  ## every test, the slow ones (whole corpus splits) included
	$(BIN)/python -m pytest

eval: $(BIN)/sayso  ## PolNeAR dev scores with the reference metrics
	$(BIN)/sayso eval polnear $(POLNEAR) --split dev

bench: $(BIN)/sayso  ## speed and memory figures (see docs/benchmarks.md)
	$(BIN)/python -m benchmarks.core --data $(POLNEAR)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
