# The two commands of the README:
#   make demo   build the graph from the bundled gazette (embedded store) and answer sample questions
#   make test   install everything, start Neo4j and Oxigraph, run the whole test suite, stop them
PYTHON ?= python3
PIP := $(PYTHON) -m pip

.PHONY: install demo test services-start services-stop browser-deps

install:
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'

demo: install
	policykg demo

browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null)

services-start: install
	policykg neo4j start
	policykg sparql start

services-stop:
	-policykg sparql stop
	-policykg neo4j stop

test: install browser-deps services-start
	$(PYTHON) -m pytest -q -p no:cacheprovider; status=$$?; $(MAKE) --no-print-directory services-stop; exit $$status
