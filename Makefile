# Two commands on a fresh machine: `make run` and `make test`. Both set up what they need first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint lock setup system-deps bench clean flows-lint golden coverage nlu-report flows-graph fault-run screenshots web text-tables intent-model

# Installs the pinned versions of constraints.txt (what the tests passed with); `make lock` refreshes it.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,redis]'
	touch $(STAMP)

setup: $(STAMP)

## Operating-system packages the tests use (redis-server, graphviz); installed with apt when missing.
system-deps:
	@bash scripts/system-deps.sh

run: setup
	$(PY) -m bot

test: setup system-deps
	$(PY) -m pytest -q

## The inner loop: unit tests without the slow ones (every page, goldens, lint over every page) and
## without tests/e2e/. Under 30 s; `make test` runs everything.
test-fast: setup
	$(PY) -m pytest -q -m "not slow" --ignore=tests/e2e

## ruff (lint and format), mypy on bot/ (settings in pyproject.toml) and the flow linter.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) -m bot flows lint

## Re-resolve the dependencies of pyproject.toml in a scratch venv and pin them in constraints.txt.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet '.[dev,redis]'
	{ sed -n '1,2p' constraints.txt; $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable | grep -iv '^yibao-wizard'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV) build

flows-lint: setup
	$(PY) -m bot flows lint

## Accuracy of typed-question understanding per slot and intent, its misses, and time per message.
nlu-report: setup
	$(PY) -m bot.understand.report

## Performance figures (printed, never asserted): catalog load, wizard step and render; then the bot
## against a bare PTB echo bot under 500 virtual users, and memory as stored sessions grow; then answer
## latency while 10,000 due reminders drain (bench/reminder_bench.py); the web guide; and what pacing
## work to 21 wake-ups a second costs this machine with no bot at all (bench/pace_cost.py).
## BENCH_ARGS passes options to bench/bot_bench.py (e.g. BENCH_ARGS="--users 200 --rounds 1").
bench: setup
	mkdir -p bench-results
	$(PY) -m bench.catalog_bench --json bench-results/catalog.json
	$(PY) -m bench.bot_bench --json bench-results/bot.json $(BENCH_ARGS)
	$(PY) -m bench.reminder_bench --json bench-results/reminders.json
	$(PY) -m bench.web_bench --json bench-results/web.json
	$(PY) -m bench.pace_cost --reps 3 --json bench-results/pace.json

## Many simulated users while the Bot API misbehaves (429, 5xx, resets, timeouts, blocked chats): figures only.
fault-run: setup
	mkdir -p bench-results
	$(PY) -m bot.testing.fault_run --json bench-results/fault-run.json

## Regenerate bot/understand/pinyin.txt and t2s.txt (readings, traditional -> simplified) from pypinyin
## and OpenCC after adding place names or vocabulary; a test says when it is due.
text-tables: setup
	$(PY) -m bot.understand.tables

## Retrain the statistical intent fallback on the tuning part of the labelled phrasings: the model
## (flows/intent_model.tsv, after printing its cross-validation), then its arbiter (flows/intent_arbiter.tsv)
## on the later passes the rules had not seen (about 20 minutes; scikit-learn, a dev dependency).
## tests/test_understand_fallback.py says when it is due.
intent-model: setup
	$(PY) scripts/train_intents.py
	$(PY) scripts/calibrate_intents.py --write

## Rewrite tests/golden/ after a content or template change (review the diff before committing).
golden: setup
	$(PY) -m tests.helpers.golden

coverage: setup
	$(PY) -m bot flows coverage

## Draw every path of one region's wizard: make flows-graph REGION=430000 (writes docs/graph-430000.svg).
REGION ?= 430000
flows-graph: setup system-deps
	$(PY) -m bot flows graph $(REGION) -o docs/graph-$(REGION).svg

## The guide on the web and the Mini App on WEB_LISTEN:WEB_PORT (default http://127.0.0.1:8081/).
web: setup
	$(PY) -m bot web

## Rewrite the screenshots in docs/web/ (guide, chooser, Mini App at 390 px) with the browser tests.
screenshots: setup system-deps
	SCREENSHOTS_DIR=docs/web $(PY) -m pytest -q -p no:randomly tests/browser -k "guide_at or live_search or valid_init"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache data
