# The README's two commands: `make build` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
PYTHON  ?= python3
# Debian packages: HarfBuzz subsetting (reproducible PDFs), Pango (WeasyPrint),
# and the real readers the tests open outputs with.
APT_PACKAGES := $(shell cat .ci/apt-packages)

.PHONY: build test test-fast lint system-deps clean

build: $(STAMP)
	$(VENV)/bin/missionpress build

test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile

# The unit tests of each stage alone: no rendering, under 30 s.
test-fast: $(STAMP)
	$(PY) -m pytest -q tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/mypy generator

# Installs missing Debian packages (needs root or sudo); does nothing when all are present.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml .ci/apt-packages
	$(MAKE) system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) output/*.pdf output/*.docx output/*.html
