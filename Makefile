# The two commands of the README. Each sets itself up (.venv) and then runs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow bench setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m evaluatie demo --out reports/demo

test: $(STAMP)
	$(PY) -m pytest -q

test-slow: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -q -m slow

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info reports/demo
