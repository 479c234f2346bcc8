# One command each: `make run` serves the app, `make test` runs the fast checks, `make test-all` every check
# (what CI runs). Each sets itself up.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: setup run test test-all lint-check lint format screenshots bench

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --locked --quiet

run: setup
	$(UV) run streamlit run app.py

# Two workers, one per core; each has its own app server and browser, so tests can go to either (worksteal
# evens out tests of very different lengths).
PYTEST_PARALLEL ?= -n 2 --dist worksteal

# The fast default, for every change: every check but the tests marked `full`, with property tests drawing a
# fifth of their examples (tests/conftest.py).
test: setup lint-check
	$(UV) run pytest $(PYTEST_PARALLEL) -m "not full" --durations=10 $(PYTEST_ARGS)

# The full run, what CI runs: every test, every example.
test-all: setup lint-check
	SINOSOVIET_FULL_RUN=1 $(UV) run pytest $(PYTEST_PARALLEL) --durations=15 $(PYTEST_ARGS)

lint-check: setup
	@scripts/ensure-chromium.sh
	$(UV) run ruff check .
	$(UV) run ruff format --check .

lint: setup
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

screenshots: setup
	@scripts/ensure-chromium.sh
	$(UV) run python -m tests.browser.screenshots screenshots

bench: setup
	$(UV) run python -m bench.run
