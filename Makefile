# stpgraph — `make demo` and `make test` are all a newcomer needs.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: help install build demo test lint namespace reference docs pictures tutorial bench bench-endpoint serve clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,server,pandas]'
	touch $@

install: $(STAMP)  ## create .venv and install stpgraph with its test tools

build: install  ## parse, validate, reason and write build/graph.nq
	$(BIN)/stpgraph build

demo: build  ## build the graph and answer the headline questions
	$(BIN)/stpgraph demo

test: install  ## run the whole test suite
	$(BIN)/python -m pytest

lint: install  ## ruff over the code
	$(BIN)/ruff check src tests tools bench

serve: build  ## serve the SPARQL endpoint, linked data and web UI on http://127.0.0.1:8000/
	$(BIN)/stpgraph serve

bench: install  ## benchmark suite: 10k/100k/1M triples, writes bench/results/ (about 8 min on 2 cores)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

bench-endpoint: build  ## compare stpgraph serve with rdflib-endpoint and oxigraph serve-read-only
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/endpoint.py

namespace: install  ## regenerate the STP namespace class from ontology/stp.ttl
	$(BIN)/python tools/gen_namespace.py

docs: install  ## regenerate docs/ontology/ (pyLODE) and the JSON-LD context from the ontology
	$(BIN)/python -m stpgraph.ontodocs

pictures: build  ## redraw docs/succession.svg and docs/timeline.svg from the graph
	$(BIN)/stpgraph plot succession -o docs/succession.svg
	$(BIN)/stpgraph plot timeline -o docs/timeline.svg

tutorial: build  ## re-run docs/tutorial.ipynb and re-render docs/tutorial.md
	$(BIN)/python tools/render_tutorial.py

reference: install  ## re-import data/reference/ from ../shared/reference (needs that folder)
	$(BIN)/stpgraph import-reference ../shared/reference

clean:  ## remove build artefacts (keeps .venv)
	rm -rf build
