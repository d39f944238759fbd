# Assistant RH — `make run` starts the assistant, `make test` passes the tests.
# Everything (uv, Python 3.10 environments, database, model) is set up on demand.
SHELL := bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
APP := .venv/bin/python
RASA := .venv-rasa/bin/rasa
MODEL := models/assistant.tar.gz
# Everything the model is trained from: config, domain/ (merged by Rasa), the NLU, rules and stories of data/,
# the crisis corpus of the distress net (data/safety/crisis), and the code of the components that are trained.
# Rasa's training data: only these folders (the rest of data/ is the assistant's own: content, vocabularies, rules of
# eligibility; a vocabulary key such as « rules » or « forms » would otherwise be read as Rasa's).
RASA_DATA := data/nlu data/rules data/stories
TRAINING_DATA := config.yml $(wildcard domain/*.yml $(addsuffix /*.yml,$(RASA_DATA)) data/safety/crisis/*.txt) \
	$(wildcard rasa_components/*.py)
export RASA_TELEMETRY_ENABLED := false
# No training cache: the distress net reads its corpus from data/safety/crisis, which Rasa's cache keys ignore;
# a whole training takes about a minute.
export RASA_MAX_CACHE_SIZE := 0
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Whole conversations and browser tests in `make test` run against an assistant of their own: own ports,
# own database, the demo sign-in with an intranet secret made for the run (the tests sign tokens with it too), and
# the widget asking every 2 s whether HR answered (the browser test of « Ask HR » waits for it).
E2E_SECRET := $(shell od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
E2E_ENV := RASA_PORT=5105 ACTIONS_PORT=5155 WEB_PORT=8180 DATABASE_URL=sqlite:///$(CURDIR)/var/e2e.db \
	TRACKER_STORE_URL=sqlite:///$(CURDIR)/var/e2e-tracker.db \
	DEV_SIGN_IN=1 INTRANET_JWT_SECRET=$(E2E_SECRET) REST_CHANNEL=1 CHAT_ANSWERS_POLL_SECONDS=2

.PHONY: help run shell test bench bench-nlu db train lock screenshot clean cluster audit

help:
	@echo "make run    - install, seed the database, train if needed, start the assistant"
	@echo "make shell  - chat with the assistant in the terminal"
	@echo "make test   - run every test (pytest, data validation, Rasa test stories)"
	@echo "make cluster - N Rasa instances and M action servers on local PostgreSQL and Redis (RASA_INSTANCES, ACTION_SERVERS)"
	@echo "make screenshot - docs/widget.png (the web chat) and docs/backoffice.png (the HR back-office), in Chromium"
	@echo "make bench  - answers on the gold set (engine and through the chat), NLU quality, entities, crisis recall / false alarms, latency and throughput under load (bench/)"
	@echo "make bench-nlu - the intent-model comparison (linear, Rasa's logistic regression, DIET; about an hour)"

$(CURDIR)/.tools/bin/uv:
	@command -v python3 >/dev/null || { echo "ERROR: python3 is needed to bootstrap uv (or install uv yourself)"; exit 1; }
	python3 -m venv .tools && .tools/bin/pip install -q "uv==$(UV_VERSION)"

# The environments hold the runtime lock plus the test tools (requirements/*dev.lock, a superset pinned to the
# same versions); a production install syncs requirements/app.lock and requirements/rasa.lock alone. The project
# itself (bot, actions, rasa_components; the `assistant-rh` command) is installed into both, editable, without
# dependencies, with the locked build backend. Packages are compiled to bytecode once, at install: a Python that may
# not write bytecode (PYTHONDONTWRITEBYTECODE, a read-only install) would otherwise compile Rasa, TensorFlow and
# spaCy from source at every start (7 s of Rasa's 17, measured with py-spy).
INSTALL_PROJECT = $(UV) pip install -q --no-deps --build-constraints requirements/build.lock -e .
.venv/.installed: requirements/dev.lock requirements/build.lock pyproject.toml | $(UV)
	@py=$$(UV=$(UV) scripts/find-python310.sh) && $(UV) venv -q --allow-existing --python "$$py" .venv
	$(UV) pip sync -q --compile-bytecode --python .venv/bin/python requirements/dev.lock
	$(INSTALL_PROJECT) --python .venv/bin/python
	@touch $@

.venv-rasa/.installed: requirements/rasa-dev.lock requirements/build.lock pyproject.toml | $(UV)
	@py=$$(UV=$(UV) scripts/find-python310.sh) && $(UV) venv -q --allow-existing --python "$$py" .venv-rasa
	$(UV) pip sync -q --compile-bytecode --python .venv-rasa/bin/python requirements/rasa-dev.lock
	$(INSTALL_PROJECT) --python .venv-rasa/bin/python
	@touch $@

.venv-audit/.installed: requirements/audit.lock | $(UV)
	@py=$$(UV=$(UV) scripts/find-python310.sh) && $(UV) venv -q --allow-existing --python "$$py" .venv-audit
	$(UV) pip sync -q --python .venv-audit/bin/python requirements/audit.lock
	@touch $@

# Known vulnerabilities in both locks (skipped, saying so, when PyPI's vulnerability data is out of reach).
audit: .venv-audit/.installed
	scripts/audit.sh

# The seed first upgrades the schema to the latest migration (bot/core/migrations), then loads the data.
db: .venv/.installed
	$(APP) -m bot seed

# The training time is kept next to the model for `make bench`. Training does not validate the data again:
# `make test` runs `rasa data validate --fail-on-warnings`, stricter than training's check (which reads the NLU
# data twice more, about 15 s).
$(MODEL): $(TRAINING_DATA) .venv-rasa/.installed
	@start=$$(date +%s); $(RASA) train --skip-validation --domain domain --data $(RASA_DATA) --fixed-model-name assistant --out models && \
	echo $$(( $$(date +%s) - start )) > models/assistant.train-seconds

train: $(MODEL)

# The demo page and its development sign-in are on for `make run` (DEV_SIGN_IN=0 turns them off).
run: .venv/.installed .venv-rasa/.installed db $(MODEL)
	@DEV_SIGN_IN=$${DEV_SIGN_IN:-1} scripts/run.sh

shell: .venv/.installed .venv-rasa/.installed db $(MODEL)
	@REST_CHANNEL=1 scripts/with-assistant.sh $(APP) -m bot.runtime.chat

test: .venv/.installed .venv-rasa/.installed .venv-audit/.installed $(MODEL)
	scripts/audit.sh
	.venv/bin/lint-imports --no-cache
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(APP) -m pytest
	.venv-rasa/bin/python -m pytest tests/rasa -p no:cacheprovider -p no:warnings --confcutdir=tests/rasa
	$(RASA) data validate --domain domain --data $(RASA_DATA) --fail-on-warnings
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors --out results/core
	rm -f var/e2e.db var/e2e.db-* var/e2e-tracker.db
	$(E2E_ENV) $(APP) -m bot seed >/dev/null
	$(E2E_ENV) scripts/with-assistant.sh bash -c '$(APP) -m pytest tests/e2e -p no:cacheprovider --confcutdir=tests/e2e \
		&& $(APP) -m pytest tests/browser -p no:cacheprovider --confcutdir=tests/browser'
	$(APP) -m pytest tests/cluster -p no:cacheprovider --confcutdir=tests/cluster

bench: .venv/.installed .venv-rasa/.installed db $(MODEL)
	$(APP) -m bench.answers
	$(RASA) test nlu --nlu tests/nlu/test.yml --model $(MODEL) --out results/nlu
	$(RASA) test nlu --nlu tests/nlu/blind.yml --model $(MODEL) --out results/nlu-blind
	$(RASA) test nlu --nlu tests/nlu/ask_hr_blind.yml --model $(MODEL) --out results/nlu-ask-hr
	$(APP) -m bench.nlu_report results/nlu results/nlu-blind results/nlu-ask-hr
	.venv-rasa/bin/python -m bench.nlu_compare --markdown
	$(APP) -m bench.entities
	.venv-rasa/bin/python -m bench.crisis_model
	REST_CHANNEL=1 scripts/with-assistant.sh bash -c '$(APP) -m bench.distress && $(APP) -m bench.chat_answers'
	.venv-rasa/bin/python -m bench.tracker_store
	$(APP) -m bench.load

# The intent-model comparison behind the README's table (about an hour: DIET on MASSIVE and 5 folds).
bench-nlu: .venv-rasa/.installed
	.venv-rasa/bin/python -m bench.nlu_compare --candidates $${CANDIDATES:-linear,logreg,diet}

# Two Rasa instances and two action servers sharing PostgreSQL and Redis on localhost (tests/cluster/cluster.py).
cluster: .venv/.installed .venv-rasa/.installed $(MODEL)
	$(APP) -m tests.cluster.cluster --rasa $${RASA_INSTANCES:-2} --actions $${ACTION_SERVERS:-2}

screenshot: .venv/.installed .venv-rasa/.installed db $(MODEL)
	DEV_SIGN_IN=1 scripts/with-assistant.sh $(APP) -m tests.browser.screenshot docs/widget.png docs/backoffice.png

# Re-resolve the locks after editing pyproject.toml (the app and its dev group) or requirements/*.in.
lock: | $(UV)
	@py=$$(UV=$(UV) scripts/find-python310.sh) && compile="$(UV) pip compile -q --generate-hashes --python $$py --python-version 3.10 --custom-compile-command" && \
	$$compile "make lock" requirements/rasa.in -o requirements/rasa.lock && \
	$$compile "make lock" requirements/rasa-dev.in -c requirements/rasa.lock -o requirements/rasa-dev.lock && \
	$$compile "make lock" pyproject.toml -o requirements/app.lock && \
	$$compile "make lock" pyproject.toml --group dev -c requirements/app.lock -o requirements/dev.lock && \
	$$compile "make lock" requirements/build.in -o requirements/build.lock && \
	$$compile "make lock" requirements/audit.in -o requirements/audit.lock

clean:
	rm -rf .venv .venv-rasa .venv-audit .tools models results var .pytest_cache
