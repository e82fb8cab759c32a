"""Shared test settings: a deterministic hypothesis profile (same examples on every run)."""

from hypothesis import settings

settings.register_profile("keiei", derandomize=True, deadline=None)
settings.load_profile("keiei")
