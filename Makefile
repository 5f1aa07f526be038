# sayso: the two commands are `make demo` and `make test`; both set everything up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POLNEAR ?= ../shared/data/polnear
MEMBERS ?= 1:5e-5:16 13:5e-5:16

CHROMIUM := /usr/bin/chromium
# the browser tests drive Debian's Chromium; root installs it directly, anyone else through sudo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test test-all stress bench bench-corpus bench-claims eval train screenshots clean

$(BIN)/sayso: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/sayso  ## create .venv with sayso, its dependencies and the spaCy pipeline

demo: $(BIN)/sayso  ## extract the attributions of the bundled example article
	$(BIN)/sayso extract examples/harbor-bridge.txt

$(CHROMIUM):
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver

test: $(BIN)/sayso $(CHROMIUM)  ## the test suite (fast tests; a few minutes)
	$(BIN)/python -m pytest -m "not slow and not stress"

test-all: $(BIN)/sayso $(CHROMIUM)  ## every test, the slow ones (whole corpus splits) included
	$(BIN)/python -m pytest -m "not stress"

stress: $(BIN)/sayso  ## kill -9 at random points of ingest and batch, 200 clients against sayso serve (docs/reliability.md)
	$(BIN)/python -m pytest -m stress -s tests/reliability

eval: $(BIN)/sayso  ## PolNeAR dev scores with the reference metrics
	$(BIN)/sayso eval polnear $(POLNEAR) --split dev

train: $(BIN)/sayso  ## retrain the accurate mode's tagger on PolNeAR train: MiniLM fine-tuned per member, joined (GPU if torch sees one; see docs/model-card.md)
	$(BIN)/sayso train polnear $(POLNEAR) $(foreach m,$(MEMBERS),--finetune $(m))

bench: $(BIN)/sayso bench-corpus bench-claims  ## speed and memory figures (see docs/benchmarks.md)
	$(BIN)/python -m benchmarks.core --data $(POLNEAR)
	$(BIN)/python -m benchmarks.batch --data $(POLNEAR)
	$(BIN)/python -m benchmarks.model --data $(POLNEAR)
	$(BIN)/python -m benchmarks.extract_api --data $(POLNEAR)

bench-corpus: $(BIN)/sayso  ## corpus store: 10,000 articles from PolNeAR, search and speaker-page latency
	$(BIN)/python -m benchmarks.corpus --data $(POLNEAR)

bench-claims: $(BIN)/sayso  ## claims over the 923 PolNeAR train and dev articles: time and peak memory, cold and warm
	$(BIN)/python -m benchmarks.claims --data $(POLNEAR)

screenshots: $(BIN)/sayso $(CHROMIUM)  ## the PNGs of the web pages in docs/, from examples/
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
