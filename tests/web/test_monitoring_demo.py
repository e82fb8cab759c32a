"""The demo's sample journal is the example's (examples/books/yayoi-journal.csv)."""

from pathlib import Path

from keiei_web.monitoring.demo import SAMPLE

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundled_sample_journal_is_the_example() -> None:
    assert SAMPLE.read_bytes() == (ROOT / "examples" / "books" / "yayoi-journal.csv").read_bytes(), (
        "src/keiei_web/monitoring/demo_books/yayoi-journal.csv differs from examples/books: copy it again"
    )
