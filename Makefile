# The two commands of the README:
#   make demo   build the graph from the bundled gazette (embedded store) and answer sample questions
#   make test   install everything, start Neo4j and Oxigraph, run the whole test suite, stop them
# Everything Python lives in the project's own virtual environment, .venv/ (policykg: .venv/bin/policykg).
VENV ?= .venv
# the interpreter the virtual environment is made from (any CPython 3.11; an optimised build - PGO/LTO,
# as distributions ship - extracts some 12-19 % faster than one built without, see README "Extraction throughput")
PYTHON ?= python3
PY := $(VENV)/bin/python
PK := $(VENV)/bin/policykg

.PHONY: install demo test services-start services-stop browser-deps

$(PY):
	$(PYTHON) -m venv $(VENV)

install: $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'

demo: install
	$(PK) demo

browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null)

services-start: install
	$(PK) neo4j start
	$(PK) sparql start

services-stop:
	-$(PK) sparql stop
	-$(PK) neo4j stop

test: install browser-deps services-start
	$(PY) -m pytest -q -p no:cacheprovider; status=$$?; $(MAKE) --no-print-directory services-stop; exit $$status
