"""Output helpers shared by the sub-commands."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(data: Any) -> None:
    """Print JSON with Japanese kept readable (no \\u escapes) and a trailing newline."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
