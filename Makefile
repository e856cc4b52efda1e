# Two commands on a fresh machine:  make lab   and   make test
# Both create .venv (if missing) and install what they need into it.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
PORT   ?= 8888

.PHONY: lab test test-fast notebooks images benchmark present html clean help

help:
	@echo "make lab        install cnnlib + JupyterLab into .venv and open the lessons"
	@echo "make test       install test tools into .venv and run the whole suite (notebooks included)"
	@echo "make notebooks  re-execute every lesson in place (after a library change)"
	@echo "make images     redraw the figures in images/"
	@echo "make present LESSON=02   show one lesson with Voila (code hidden) for projecting in class"
	@echo "make html       export every lesson with its figures to html/ (no Python needed to read)"
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

# Runs each lesson in a fresh kernel, in place; drops widget state; syncs the
# jupytext .py pairs. One lesson: make notebooks NB=notebooks/02_stride_padding_output_size.ipynb
notebooks: $(VENV)/.test-installed
	$(PY) tools/run_notebooks.py $(NB)

images: $(VENV)/.test-installed
	$(PY) -m cnnlib.viz.make_images images

benchmark: $(VENV)/.test-installed
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/train_step.py

LESSON ?= 00
present: $(VENV)/.lab-installed
	@nb=$$(ls notebooks/$(LESSON)*.ipynb 2>/dev/null | head -1); \
	if [ -z "$$nb" ]; then echo "No lesson matches notebooks/$(LESSON)*.ipynb; try LESSON=02"; exit 2; fi; \
	echo "Presenting: open http://127.0.0.1:$(PORT)/voila/render/$$nb"; \
	$(VENV)/bin/voila . --Voila.ip=127.0.0.1 --port=$(PORT) --strip_sources=True --no-browser

html: $(VENV)/.lab-installed
	$(VENV)/bin/jupyter nbconvert --to html --output-dir html notebooks/[0-9]*.ipynb
	@echo "Open html/00_start_here.html in a browser (figures link to ../images)."

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
