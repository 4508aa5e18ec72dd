# Conveniences over the scripts; the README's two commands are the scripts themselves.
.PHONY: demo test screenshots bench lint

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

lint:
	.venv/bin/ruff check src tests bench training scripts
	.venv/bin/mypy

screenshots:
	bash .ci/browser.sh
	.venv/bin/python scripts/screenshots.py --out screenshots

bench:
	.venv/bin/python bench/ingest.py
	.venv/bin/python bench/pairs.py
	.venv/bin/python bench/compare.py
	.venv/bin/python bench/framing.py
	.venv/bin/python bench/stories.py
	.venv/bin/python bench/check.py
