"""keiei: the two Japanese SME management-improvement programmes, end to end.

The package is a pure domain core (rules, money, councils, advisor, projection engine).
It imports no web framework and does no network I/O; the CLI, document builders and the
web app are thin layers on top of it.
"""

__version__ = "0.1.0"
