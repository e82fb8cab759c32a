"""Settings split by environment (cookiecutter-django style).

- `base`: everything shared; the database from `DATABASE_URL` or SQLite in the data dir.
- `local`: `keiei serve` and `python -m keiei_web.manage` on one's own machine.
- `production`: behind a TLS proxy; SECRET_KEY and hosts from the environment; passes
  `manage.py check --deploy`.
- `test`: pytest-django (in-memory SQLite unless `DATABASE_URL` is set).
"""
