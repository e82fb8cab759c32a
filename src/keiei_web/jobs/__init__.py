"""Slow work outside the request: document builds and council-wide re-checks as tasks.

Django's Tasks API (the `django-tasks` backport; Django 6 ships the same API) with the database
backend of `django-tasks-db`: the queue is a table in keiei's own database, so no other server
is needed on SQLite or PostgreSQL. `keiei serve` starts a worker beside the web processes; a
deployment runs `python -m keiei_web.manage keiei_worker` on one or more machines.

What django-tasks-db does not do, and this app adds: a task whose worker was killed stays
RUNNING forever. Every running task here holds a lease (`TaskLease`, renewed by a heartbeat
thread of the worker, `leases`); any worker (or `manage.py reap_tasks` from cron) puts a task
whose lease expired back in the queue, up to `KEIEI_TASK_MAX_ATTEMPTS` attempts. Tasks are
therefore written to be idempotent: running one twice gives the same state as running it once.
"""
