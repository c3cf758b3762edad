# The two commands of the README. Each sets itself up (.venv) and then runs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow bench reference setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m evaluatie demo --out reports/demo

test: $(STAMP)
	$(PY) -m pytest -q --durations=25

test-slow: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -q -m slow

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# Regenerate the R reference fixtures in tests/reference/ (needs R: r-base-core r-cran-survival
# r-cran-cmprsk r-cran-plm, plus clubSandwich and metafor). Not part of `make test`, which reads the
# committed fixtures.
reference: $(STAMP)
	$(PY) tests/reference/maak_effecten_data.py
	for f in tests/reference/*.R; do case $$f in *_gemeen.R) ;; *) Rscript $$f || exit 1 ;; esac; done

clean:
	rm -rf $(VENV) build *.egg-info reports/demo reports/demo-data
