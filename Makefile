# Quick start: `make run` (set up, run the default scenario and design) and `make test`.
.PHONY: setup run test lint bench lock clean

setup:
	@./scripts/bootstrap.sh

run: setup
	.venv/bin/python -m sim

test: setup
	.venv/bin/python -m ruff check sim tests benchmarks
	.venv/bin/python -m pytest -n 2 --dist loadgroup

lint: setup
	.venv/bin/python -m ruff check sim tests benchmarks

bench: setup
	.venv/bin/python benchmarks/bench_model.py

# Regenerate the lock file from pyproject.toml (needs the registries).
lock:
	.venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf .venv outputs multirun .pytest_cache .ruff_cache
