# Quick start: `make run` (set up, run the default scenario and design) and `make test`.
.PHONY: setup run test test-data test-services browser lint validate report bench bench-sweep bench-dashboard bench-dashboard-browser bench-dashboard-sessions bench-budgeting lock clean dashboard classroom bench-classroom

setup:
	@./scripts/bootstrap.sh

run: setup
	.venv/bin/python -m sim

# Lint, types and the whole test suite, after setting up everything the tests need: .venv (setup),
# Debian's chromium and Solara's offline assets (browser), the pabulib rounds from PyPI (test-data),
# redis-server and a local SLURM for the multi-node tests (test-services).
# No test is skipped: a missing resource fails its test, naming the target above that provides it
# (tests/resources.py; TESTS_ALLOW_SKIPS=1 is a development shortcut that allows skips, not in CI).
test: setup browser test-data test-services
	.venv/bin/python -m ruff check sim tests benchmarks notebooks
	.venv/bin/python -m mypy
	.venv/bin/python -m pytest -n 2 --dist loadgroup

# System packages of the multi-node tests (tests/experiments/test_cluster.py): redis-server and SLURM with
# accounting (slurm-wlm, munge, slurmdbd, mariadb-server), from apt when missing (root or sudo); the tests
# start and stop their own daemons. Ray and Dask need nothing beyond requirements.lock.
test-services:
	@./scripts/test_services.sh

# Real participatory-budgeting rounds for tests/validation/test_pabulib.py: the pabulib files that the PyPI
# package pabumeasures 0.2.2 (MIT) distributes, unpacked into .venv/share (tests/data/README.md).
test-data: setup
	@./scripts/test_data.sh

# For the browser tests: Debian's chromium (apt-get, so root or sudo; Debian's package archive) and
# Solara's offline assets (from the npm registry; npm from apt-get when missing). Quick when done.
browser: setup
	@./scripts/ci_browser_setup.sh

# ruff on the code, mypy (pyproject.toml, [tool.mypy]) on sim/
lint: setup
	.venv/bin/python -m ruff check sim tests benchmarks notebooks
	.venv/bin/python -m mypy

# The trainers' dashboard (sim/apps/dashboard/) at http://localhost:8765 (python -m sim dashboard: closed
# sessions release their memory after 60 s; LAN=true serves a classroom, see README); works offline once its
# assets are cached (scripts/ci_browser_setup.sh --assets-only, run here). PORT=8766 for another port.
dashboard: setup
	@./scripts/ci_browser_setup.sh --assets-only >/dev/null
	.venv/bin/python -m sim dashboard port=$${PORT:-8765}$(if $(LAN), lan=$(LAN))

# The classroom (sim/apps/classroom/, docs/classroom_nl.md): a trainer opens a room at http://localhost:8765/trainer,
# participants join at /join with its code. LAN=true serves the classroom's network; PORT=8766 for another port.
classroom: setup
	@./scripts/ci_browser_setup.sh --assets-only >/dev/null
	.venv/bin/python -m sim classroom lan=$(or $(LAN),false) port=$${PORT:-8765}

# A class in real browsers on the real model: 30 seats in one room, three rooms side by side (benchmarks/results/).
bench-classroom: setup
	@./scripts/ci_browser_setup.sh >/dev/null
	.venv/bin/python benchmarks/bench_classroom.py

# The validation report (docs/validation/): the model against published patterns, 10 replicates.
validate: setup
	.venv/bin/python -m sim validate jobs=2

# The municipal report for policymakers (sim/apps/report.py): one self-contained HTML file under
# outputs/report/. SCENARIO=geel|kampenhout|antwerp_district|generic, or MUNICIPALITY=file.yaml
# (examples/municipality.yaml); REPORT_LANG=nl|en; REPLICATES=10; PDF=true|false (default true: the
# report printed on A4 beside the HTML, by chromium).
report: setup
	.venv/bin/python -m sim report $(if $(MUNICIPALITY),municipality=$(MUNICIPALITY),scenario=$(or $(SCENARIO),geel)) \
		lang=$(or $(REPORT_LANG),nl) replicates=$(or $(REPLICATES),10) pdf=$(or $(PDF),true)

# The model's cases, then the speed where users wait (bench_speed.py: a run's fixed cost; with
# BASELINE_REF=<git ref>, the validation report and the ABC calibration against that code, A/B in turn).
bench: setup
	.venv/bin/python benchmarks/bench_speed.py $(if $(BASELINE_REF),--baseline-ref $(BASELINE_REF),--only fixed)
	.venv/bin/python benchmarks/bench_model.py

bench-sweep: setup
	.venv/bin/python benchmarks/bench_sweep.py

# A dashboard month and its redraw at Kampenhout's scale, through the page's own Step (headless);
# also times a whole term; no target, never fails on time.
bench-dashboard: setup
	.venv/bin/python benchmarks/bench_dashboard.py

# The same in the real browser (Debian's chromium via Playwright, the page served by python -m sim dashboard):
# from the click on Step until the next month and its charts are painted; a whole term played;
# where Pause stops the run. THROTTLE=30 slows chromium's CPU 30x (a slow projector laptop).
bench-dashboard-browser: setup browser
	.venv/bin/python benchmarks/bench_dashboard_browser.py --throttle $(or $(THROTTLE),1)

# The dashboard's memory over a lesson: rounds of sessions opened and closed in chromium, with the launcher's
# short cull (CULL=24h for Solara's default); no target, never fails on time.
bench-dashboard-sessions: setup browser
	.venv/bin/python benchmarks/bench_dashboard_sessions.py --cull $(or $(CULL),5s)

bench-budgeting: setup
	.venv/bin/python benchmarks/bench_budgeting.py

# Regenerate the lock file from pyproject.toml (needs the registries).
lock:
	.venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf .venv outputs multirun .pytest_cache .ruff_cache
