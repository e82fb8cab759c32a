"""`python -m keiei_web.manage COMMAND`: Django's manage.py for keiei.

It lives inside the package (not at the repository root) so it works from any directory of a
clean checkout once keiei is installed; local settings are the default, as for `keiei serve`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keiei_web.config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
