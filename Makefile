# Two commands on a fresh machine:  make lab   and   make test
# Both create .venv (if missing) and install what they need into it; make test
# also fetches what the suite needs from outside (Fashion-MNIST, Chromium).
# Both work as root and as a user; servers listen on 127.0.0.1 with a token.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
HOST   ?= 127.0.0.1
PORT   ?= 8888
# Jupyter refuses to run as root without --allow-root: pass it only then.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# Two workers (each worker and kernel has one BLAS thread: conftest.py). The lessons' nbval run shares the
# session with tests/, so it fills the time the browser and hub tests spend waiting on servers. Three workers
# took 14.5 minutes here, but made the browser suite's timing-sensitive walks flaky on two cores.
PYTEST := $(PY) -m pytest -n 2 --dist loadscope
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly
# The oldest versions pyproject.toml declares; make test-floors runs the unit tests on them.
FLOOR_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) $(shell command -v python3.10))
FLOOR_PINS   := "numpy==1.24.0" "matplotlib==3.7.0" "ipywidgets==8.0.0" "tqdm==4.60.0" \
                "pytest==7.4.0" "pytest-xdist==3.3.0" "hypothesis==6.80.0" "scipy==1.10.0"

.PHONY: lab test test-quick test-floors notebooks images benchmark present html clean help hub hub-check

help:
	@echo "make lab        install cnnlib + JupyterLab into .venv and open the lessons (127.0.0.1, with a token)"
	@echo "make test       set up everything the suite needs and run all of it (browser and notebooks included)"
	@echo "make test SKIP_BROWSER=1   the same without a browser: no browser suite, no hub load test (said so at the start)"
	@echo "make test-quick the unit tests only: no lesson runs, no browser, no hub, nothing fetched"
	@echo "make test-floors  the unit tests on the oldest Python/numpy/matplotlib/ipywidgets we declare (CI runs it)"
	@echo "make notebooks  re-execute every lesson in place (after a library change)"
	@echo "make images     redraw the figures in images/"
	@echo "make present LESSON=02   show one lesson with Voila (code hidden) for projecting in class"
	@echo "make html       export every lesson with its figures to html/ (no Python needed to read)"
	@echo "make benchmark  time a training step: cnnlib vs loops vs PyTorch"
	@echo "make lab PROJECTOR=1   the same in projector mode: 18 px text, figures never shrunk (long code lines scroll"
	@echo "                       sideways at 1024x768; make present hides the code and wraps the output)"
	@echo "HOST=0.0.0.0 make lab   listen on every interface (only on a network you trust; the token still applies)"
	@echo "HUB_PASSWORD=... make hub   a workshop JupyterHub for a class on this server (root; 127.0.0.1:8000, HUB_HOST=0.0.0.0 behind TLS)"

$(PY):
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 10) else \
	  f"cnnlib needs Python >= 3.10, but $(PYTHON) is {v.major}.{v.minor}. Hint: make $(or $(MAKECMDGOALS),lab) PYTHON=python3.11")'
	@why=$$($(PYTHON) -m venv $(VENV) 2>&1) || { rm -rf $(VENV); \
	  if ! printf '%s' "$$why" | grep -q -e ensurepip -e 'No module named venv'; then \
	    echo "$(PYTHON) -m venv $(VENV) failed:"; echo "$$why" | tail -5; \
	    echo "Hint: can you write here? (ls -ld . $(VENV)): a .venv made by root (sudo make hub) is not yours."; exit 1; \
	  elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "$(PYTHON) has no venv module: installing Debian's python3-venv"; \
	    apt-get install -y -q python3-venv >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q python3-venv >/dev/null; }; \
	    $(PYTHON) -m venv $(VENV); \
	  else echo "$(PYTHON) cannot create a virtual environment (no venv module). Fix: sudo apt-get install python3-venv"; exit 1; fi; }
	@$(PIP) install --quiet --upgrade pip > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

# tools/jupyterlab-overrides.json: no news pop-up, and widget state saved with a lesson, so that a lesson run,
# saved and opened again shows its widgets' last pictures instead of "Error displaying widget: model not found".
# tools/jupyter-server-config.json: the file browser lists each lesson once, without its jupytext .py pair.
$(VENV)/.lab-installed: pyproject.toml tools/jupyterlab-overrides.json tools/jupyter-server-config.json | $(PY)
	@echo "Installing cnnlib + JupyterLab into $(VENV) (log: $(VENV)/install.log)"
	@$(PIP) install --quiet -e ".[lab]" >> $(VENV)/install.log 2>&1 || { tail -40 $(VENV)/install.log; exit 1; }
	@mkdir -p $(VENV)/share/jupyter/lab/settings $(VENV)/etc/jupyter
	@cp tools/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@cp tools/jupyter-server-config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.lab-installed
	@echo "Installing the test tools into $(VENV) (log: $(VENV)/install.log)"
	@$(PIP) install --quiet -e ".[lab,test]" >> $(VENV)/install.log 2>&1 || { tail -40 $(VENV)/install.log; exit 1; }
	@touch $@

# Served from the repository root so every lesson's ../images links resolve.
lab: $(VENV)/.lab-installed $(if $(PROJECTOR),$(VENV)/lab-projector-settings)
	$(if $(PROJECTOR),CNNLIB_PROJECTOR=1 )$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ip=$(HOST) --port=$(PORT) --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
	  $(if $(PROJECTOR),--LabApp.user_settings_dir=$(CURDIR)/$(VENV)/lab-projector-settings)

# JupyterLab takes font overrides from user settings only: projector mode gets its own copy to start from.
$(VENV)/lab-projector-settings: | $(PY)
	@cp -r tools/jupyterlab-projector $@

# The workshop hub's tests (tests/hub) need root: the hub makes one Unix account per student.
HUB_FOR_TEST := $(if $(filter 0,$(shell id -u)),$(VENV)/.hub-installed)

test: $(VENV)/.test-installed $(HUB_FOR_TEST)
	@rm -f $(VENV)/test-setup.log
	@$(PY) tools/test_setup.py $(if $(SKIP_BROWSER),--no-browser)
	@$(if $(HUB_FOR_TEST),,echo "make test: not root, so the workshop hub tests (tests/hub) are not run; as root they are.")
	. $(VENV)/test-env.sh && $(PYTEST) -p tools.strict_skips $(NBVAL) --continue-on-collection-errors --durations=25 \
	  $(if $(SKIP_BROWSER),--ignore=tests/browser --ignore=tests/hub/test_classroom_load.py) \
	  $(if $(HUB_FOR_TEST),,--ignore=tests/hub) tests notebooks

# Without the lesson runs (the rerun test runs every lesson three times, and lessons 07-09 and 13 need
# Fashion-MNIST), the browser and the hub.
test-quick: $(VENV)/.test-installed
	$(PYTEST) -q tests --ignore=tests/browser --ignore=tests/hub --ignore=tests/test_notebooks_rerun.py

test-floors:
	@[ -n "$(FLOOR_PYTHON)" ] || { echo "make test-floors needs python3.10 (the oldest Python we declare). Fix: pyenv install 3.10, or FLOOR_PYTHON=/path/to/python3.10"; exit 1; }
	@[ -x $(VENV)-floors/bin/python ] || $(FLOOR_PYTHON) -m venv $(VENV)-floors
	@echo "Installing the declared floors into $(VENV)-floors: $(FLOOR_PINS)"
	@$(VENV)-floors/bin/python -m pip install --quiet $(FLOOR_PINS) > $(VENV)-floors/install.log 2>&1 \
	  && $(VENV)-floors/bin/python -m pip install --quiet --no-deps -e . >> $(VENV)-floors/install.log 2>&1 \
	  || { tail -40 $(VENV)-floors/install.log; exit 1; }
	@$(VENV)-floors/bin/python -c 'import sys, numpy, matplotlib, ipywidgets; \
	  print(f"floors: Python {sys.version.split()[0]}, numpy {numpy.__version__}, matplotlib {matplotlib.__version__}, ipywidgets {ipywidgets.__version__}")'
	$(VENV)-floors/bin/python -m pytest -n 2 -q --disable-warnings -p no:cacheprovider tests --ignore=tests/browser \
	  --ignore=tests/test_binder.py --ignore=tests/test_notebooks_meta.py --ignore=tests/test_notebooks_rerun.py \
	  --ignore=tests/test_packaging.py --ignore=tests/hub --ignore=tests/test_export_html.py --ignore=tests/test_cpu_rounding.py

# Runs each lesson in a fresh kernel, in place; drops widget state; syncs the
# jupytext .py pairs. One lesson: make notebooks NB=notebooks/02_stride_padding_output_size.ipynb
notebooks: $(VENV)/.test-installed
	$(PY) tools/run_notebooks.py $(NB)

images: $(VENV)/.test-installed
	$(PY) -m cnnlib.viz.make_images images

benchmark: $(VENV)/.test-installed
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/train_step.py

# Voila as a Jupyter server extension: the server's token and its Host-header
# check apply, as in make lab. The cnnlib-present template (tools/jupyter/voila/templates/)
# hides the cells tagged presentation-hide: still pictures in front of widgets, exercise scaffolding,
# and has Voila typeset the maths with the MathJax 3 it bundles (offline; no CDN).
# CNNLIB_PROJECTOR=1 puts the lesson's figures and widgets in projector mode (cnnlib.viz.projector). The token goes through the environment, not argv
# (other users can read a process's arguments). Progressive rendering shows the lesson's text at once and each
# output as its cell finishes: without it the page was a spinner until every cell had run (lesson 09: 40-80 s).
# Each reload of a lesson starts a kernel; one whose tab was closed
# (no connection) is shut down after 30 idle minutes, so a day of teaching does not pile them up.
# LESSON=2 means lesson 02, not the first lesson whose number starts with 2. The port is checked first: the link
# printed below must be the server's (Jupyter would otherwise move to the next free port, e.g. beside make lab).
LESSON ?= 00
present: $(VENV)/.lab-installed
	@lesson=$$(printf '%s' '$(LESSON)' | sed 's/^[0-9]$$/0&/'); \
	nb=$$(ls notebooks/$${lesson}_*.ipynb notebooks/$${lesson}*.ipynb 2>/dev/null | head -1); \
	if [ -z "$$nb" ]; then echo "No lesson matches notebooks/$${lesson}_*.ipynb: LESSON is a lesson's number, e.g. LESSON=02"; exit 2; fi; \
	$(PY) -c 'import socket, sys; host = "$(HOST)".replace("0.0.0.0", "127.0.0.1"); \
	  busy = f"Port $(PORT) is in use (by make lab, or another make present?), so {sys.argv[1]} cannot be presented"; \
	  sys.exit(socket.socket().connect_ex((host, $(PORT))) == 0 and \
	  f"{busy} there. Fix: make present LESSON={sys.argv[1][10:12]} PORT=8890")' "$$nb" || exit 2; \
	token=$$($(PY) -c 'import secrets; print(secrets.token_hex(24))'); \
	echo "Presenting $$nb: open http://$(HOST):$(PORT)/voila/render/$$nb?token=$$token"; \
	CNNLIB_PROJECTOR=1 JUPYTER_TOKEN=$$token JUPYTER_PATH=$(CURDIR)/tools/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH} \
	  $(VENV)/bin/jupyter server $(ROOT_FLAG) --ip=$(HOST) --port=$(PORT) --ServerApp.port_retries=0 \
	  --ServerApp.root_dir=. --no-browser --VoilaConfiguration.strip_sources=True \
	  --MappingKernelManager.cull_idle_timeout=1800 --MappingKernelManager.cull_interval=300 \
	  --VoilaConfiguration.template=cnnlib-present --VoilaConfiguration.progressive_rendering=True \
	  --ServerApp.default_url=/voila/render/$$nb

html: $(VENV)/.lab-installed
	$(PY) tools/export_html.py --output-dir html notebooks/[0-9]*.ipynb
	@echo "Open html/00_start_here.html in a browser (figures link to ../images; links between lessons go to their pages)."

clean:
	rm -rf $(VENV) $(VENV)-floors .pytest_cache .hypothesis build *.egg-info

# A workshop JupyterHub (tools/hub/): one password for the class, one Unix account per
# student, lessons pulled with nbgitpuller, a memory cap, an idle culler. Runs as root.
# It lives in its own environment under $(HUB_PREFIX), built from the system's Python,
# because every student's server runs as that student and must be able to run it
# (.venv's Python may live under a private /root). Secrets go through the environment
# (HUB_PASSWORD, HUB_ADMIN_TOKEN), never argv.
HUB_HOST   ?= 127.0.0.1
HUB_PORT   ?= 8000
HUB_PREFIX ?= /opt/cnnlib-hub
HUB_PYTHON ?= /usr/bin/python3

hub-check:
	@[ $${#HUB_PASSWORD} -ge 8 ] || { echo "make hub needs the workshop password students log in with, 8 characters or more$${HUB_PASSWORD:+ (this one has $${#HUB_PASSWORD})}:"; \
	  echo "  HUB_PASSWORD='choose-one' make hub      (optional: HUB_ADMIN_TOKEN=\$$(openssl rand -hex 32) for scripts)"; exit 2; }
	@[ "$$(id -u)" = 0 ] || { echo "make hub runs as root: it creates one Unix account per student. Fix: sudo -E make hub"; exit 2; }

$(VENV)/.hub-installed: pyproject.toml tools/jupyterlab-overrides.json tools/jupyter-server-config.json $(wildcard cnnlib/*.py cnnlib/*/*.py cnnlib/*/*/*.py cnnlib/weights/*.npz)
	@[ "$$(id -u)" = 0 ] || { echo "the workshop hub installs into $(HUB_PREFIX) and runs as root. Fix: sudo -E make hub"; exit 2; }
	@mkdir -p $(VENV) $(HUB_PREFIX) && chmod 755 $(HUB_PREFIX)
	@echo "Installing the workshop hub into $(HUB_PREFIX) (log: $(VENV)/hub-install.log)"
	@$(HUB_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "the hub needs Python >= 3.10: HUB_PYTHON=/usr/bin/python3.11 make hub")'
	@[ -x $(HUB_PREFIX)/env/bin/python ] || $(HUB_PYTHON) -m venv $(HUB_PREFIX)/env > $(VENV)/hub-install.log 2>&1 || { \
	  apt-get install -y -q python3-venv >> $(VENV)/hub-install.log 2>&1 || { apt-get update -q && apt-get install -y -q python3-venv; } >> $(VENV)/hub-install.log 2>&1; \
	  rm -rf $(HUB_PREFIX)/env; $(HUB_PYTHON) -m venv $(HUB_PREFIX)/env; }
	@$(HUB_PREFIX)/env/bin/python -m pip install --quiet --upgrade pip >> $(VENV)/hub-install.log 2>&1
	@src=$$(mktemp -d) && cp -r pyproject.toml README.md cnnlib $$src/ && \
	  $(HUB_PREFIX)/env/bin/python -m pip install --quiet "$$src[hub]" >> $(VENV)/hub-install.log 2>&1 && \
	  $(HUB_PREFIX)/env/bin/python -m pip install --quiet --no-deps --force-reinstall "$$src" >> $(VENV)/hub-install.log 2>&1; \
	  status=$$?; rm -rf $$src; [ $$status = 0 ] || { tail -40 $(VENV)/hub-install.log; exit 1; }
	@command -v git >/dev/null || { echo "Installing Debian's git (students' lessons are pulled with it)"; \
	  { apt-get install -y -q git || { apt-get update -q && apt-get install -y -q git; }; } >> $(VENV)/hub-install.log 2>&1; }
	@command -v npm >/dev/null || { echo "Installing Debian's nodejs and npm for configurable-http-proxy"; \
	  { apt-get install -y -q nodejs npm || { apt-get update -q && apt-get install -y -q nodejs npm; }; } >> $(VENV)/hub-install.log 2>&1; }
	@npm install --silent --prefix $(HUB_PREFIX)/proxy configurable-http-proxy@5 >> $(VENV)/hub-install.log 2>&1 || { tail -40 $(VENV)/hub-install.log; exit 1; }
	@[ -d /usr/share/datasets/fashion-mnist ] || ! command -v apt-get >/dev/null || { \
	  echo "Installing Debian's dataset-fashion-mnist: one copy for every student (lessons 07-09 and 13 use it)"; \
	  { apt-get install -y -q dataset-fashion-mnist || { apt-get update -q && apt-get install -y -q dataset-fashion-mnist; }; } \
	    >> $(VENV)/hub-install.log 2>&1 || echo "  not installed (see $(VENV)/hub-install.log): each student downloads it"; }
	@mkdir -p $(HUB_PREFIX)/env/share/jupyter/lab/settings $(HUB_PREFIX)/env/etc/jupyter
	@cp tools/jupyterlab-overrides.json $(HUB_PREFIX)/env/share/jupyter/lab/settings/overrides.json
	@cp tools/jupyter-server-config.json $(HUB_PREFIX)/env/etc/jupyter/jupyter_server_config.json
	@touch $@

hub: hub-check $(VENV)/.hub-installed
	@echo "Workshop hub on http://$(HUB_HOST):$(HUB_PORT)/ : students log in with any name and the workshop password"
	HUB_HOST=$(HUB_HOST) HUB_PORT=$(HUB_PORT) HUB_PREFIX=$(HUB_PREFIX) $(HUB_PREFIX)/env/bin/jupyterhub -f tools/hub/jupyterhub_config.py
