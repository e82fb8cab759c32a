"""Shared test settings: hypothesis profiles.

- `keiei` (always, CI): derandomized — the same examples on every run, so a run is
  reproducible and a failure is seen again by the next run.
- `keiei-long` with `KEIEI_FUZZ=long`: new random examples on every run (printed with a blob to
  reproduce them), and the fuzz tests draw `KEIEI_FUZZ_SCALE` (default 20) times their CI
  examples (tests/hostile.py `fuzz_examples`). For a local hunt:
  `KEIEI_FUZZ=long .venv/bin/pytest tests/plan/test_fuzz_files.py tests/web/test_fuzz_editor.py`.
"""

import os

from hypothesis import settings

settings.register_profile("keiei", derandomize=True, deadline=None)
settings.register_profile("keiei-long", derandomize=False, deadline=None, print_blob=True)
settings.load_profile("keiei-long" if os.environ.get("KEIEI_FUZZ") == "long" else "keiei")
