# Two commands on a fresh machine:  make lab   and   make test
# Both create .venv (if missing) and install what they need into it.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
PORT   ?= 8888

.PHONY: lab test test-fast notebooks images benchmark clean help

help:
	@echo "make lab        install cnnlib + JupyterLab into .venv and open the lessons"
	@echo "make test       install test tools into .venv and run the whole suite (notebooks included)"
	@echo "make notebooks  re-execute every lesson in place (after a library change)"
	@echo "make images     redraw the figures in images/"
	@echo "make benchmark  time a training step: cnnlib vs loops vs PyTorch"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[lab]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[lab,test]"
	touch $@

lab: $(VENV)/.lab-installed
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --notebook-dir=notebooks

test: $(VENV)/.test-installed
	$(PY) -m pytest -n 2 --dist loadscope tests
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  $(PY) -m pytest -n 2 --dist loadscope --nbval --nbval-current-env \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly notebooks; \
	fi

test-fast: $(VENV)/.test-installed
	$(PY) -m pytest -x -q tests

notebooks: $(VENV)/.test-installed
	$(PY) -m jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb

images: $(VENV)/.test-installed
	$(PY) -m cnnlib.viz.make_images images

benchmark: $(VENV)/.test-installed
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/train_step.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
