# The README's two commands: `make build` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
PYTHON  ?= python3
# Debian packages, by purpose: what missionpress needs to run (Pango for WeasyPrint, HarfBuzz
# subsetting for reproducible PDFs), and what only the tests need (the real readers they open
# outputs with: LibreOffice, Chromium and its driver, poppler, qpdf).
RUNTIME_PACKAGES := .ci/apt-runtime
TEST_PACKAGES    := .ci/apt-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test test-fast lint docs docs-serve system-deps test-deps clean

build: $(STAMP)
	$(VENV)/bin/missionpress build

test: $(STAMP) test-deps
	$(PY) -m pytest -q -n auto --dist loadfile

# The unit tests of each stage alone: no rendering, under 30 s.
test-fast: $(STAMP)
	$(PY) -m pytest -q tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/mypy generator

# The documentation site (docs/, mkdocs.yml) into site/, and a preview of it that follows each save.
docs: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

docs-serve: $(STAMP)
	$(VENV)/bin/mkdocs serve

# Install the missing Debian packages of a list (needs root or sudo); nothing when all are present.
define apt_install
	@missing=$$(for p in $$(cat $(1)); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call apt_install,$(RUNTIME_PACKAGES))

test-deps:
	$(call apt_install,$(TEST_PACKAGES))

$(STAMP): pyproject.toml $(RUNTIME_PACKAGES)
	$(MAKE) system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site output/*.pdf output/*.docx output/*.html
