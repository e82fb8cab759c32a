"""Hostile inputs for the fuzz tests (tests/plan/test_fuzz_files.py, tests/web/test_fuzz_editor.py).

Malformed plan files are drawn as mutations of the real examples — so most of them are close
to a plan and reach deep into the reader, the schema and the builder — with the things a
hostile or careless user sends: brackets by the thousand, huge strings and numbers, NaN,
YAML tags and aliases, broken UTF-8, duplicate keys, wrong types in every place.

How many examples: `fuzz_examples(n)` is `n` in CI (the `keiei` hypothesis profile,
derandomized: the same inputs on every run) and `n × KEIEI_FUZZ_SCALE` (default 20) with
fresh random inputs when `KEIEI_FUZZ=long` (the `keiei-long` profile, see tests/conftest.py).
"""

from __future__ import annotations

import copy
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ROOT = Path(__file__).parents[1]
#: Small plans (1–2 KB: a few milliseconds to read) carry most examples; the full examples
#: (20 KB of YAML: ~50 ms each in PyYAML's pure-Python reader) one in 25, to keep CI fast.
SMALL_FILES = [
    ROOT / "tests" / "data" / "plans" / "minimal.yaml",
    ROOT / "tests" / "data" / "plans" / "405gl-forgiveness.yaml",
]
EXAMPLE_FILES = sorted((ROOT / "examples").glob("*.yaml"))

#: `KEIEI_FUZZ=long`: many more examples, new ones on every run (locally; CI stays deterministic).
FUZZ_LONG = os.environ.get("KEIEI_FUZZ") == "long"
FUZZ_SCALE = int(os.environ.get("KEIEI_FUZZ_SCALE", "20")) if FUZZ_LONG else 1


def fuzz_examples(n: int) -> int:
    """The number of examples of a fuzz test: `n` in CI, `n × KEIEI_FUZZ_SCALE` when long."""
    return n * FUZZ_SCALE


def fuzz_settings(n: int) -> settings:
    """Settings of a fuzz test of `n` examples in CI (the loaded profile decides the rest)."""
    return settings(
        max_examples=fuzz_examples(n),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


def _json_text(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


#: (suffix, text) of the plans mutated, as YAML and as JSON: small ones, and the full examples.
SMALL_TEXTS: list[tuple[str, str]] = [(".yaml", p.read_text(encoding="utf-8")) for p in SMALL_FILES] + [
    (".json", _json_text(p)) for p in SMALL_FILES
]
FULL_TEXTS: list[tuple[str, str]] = [(".yaml", p.read_text(encoding="utf-8")) for p in EXAMPLE_FILES] + [
    (".json", _json_text(EXAMPLE_FILES[0]))
]

#: Fragments people and attackers type: syntax, YAML tags and aliases, numbers Python or JSON
#: cannot hold, dates outside every window, markup, control characters.
NASTY = [
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    "- ",
    "? ",
    ",",
    "'",
    '"',
    "#",
    "\n",
    "\t",
    "  ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system ['echo x']",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!timestamp 2025-01-01",
    "!!float",
    "!ruby/object",
    "|\n  x\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    ".nan",
    ".inf",
    "-.inf",
    "NaN",
    "Infinity",
    "1e400",
    "1e999999999",
    "-0",
    "0x1F",
    "0o17",
    "1:30",
    "1_000_000",
    "９９",
    "△1,200",
    "9" * 5000,
    "1." + "0" * 5000 + "1",
    "9999-12-31",
    "0001-01",
    "2025-02-30",
    "9999-12",
    "\x00",
    "\x7f",
    "\u200b",
    "\ufeff",
    "<script>alert(1)</script>",
    "{{ settings.SECRET_KEY }}",
    "${HOME}",
    "あ" * 150,
    "あ" * 12_000,
    "null",
    "~",
    "true",
    "yes",
    "on",
]


def nested(depth: int, opener: str = "[", closer: str = "]", inner: str = "") -> str:
    return opener * depth + inner + closer * depth


@st.composite
def mutated_text(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, bytes) of an example plan file after 1–4 hostile edits."""
    full = draw(st.integers(0, 24)) == 0
    suffix, text = draw(st.sampled_from(FULL_TEXTS if full else SMALL_TEXTS))
    if draw(st.integers(0, 9)) == 0:
        suffix = ".json" if suffix == ".yaml" else ".yaml"  # the wrong reader for the text
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "insert", "replace", "delete", "nest", "line", "long"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(NASTY)) + text[at:]
        elif kind == "replace":
            end = min(len(text), at + draw(st.integers(1, 40)))
            text = text[:at] + draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12))) + text[end:]
        elif kind == "delete":
            end = min(len(text), at + draw(st.integers(1, 200)))
            text = text[:at] + text[end:]
        elif kind == "nest":
            # past ~1,000 brackets PyYAML's scanner takes ~0.2 s before the depth limit stops
            # it: such depths come now and then (tests/plan/test_loader.py has them always)
            rare = draw(st.integers(0, 19)) == 0
            depth = draw(st.sampled_from([900, 5000, 100_000] if rare else [3, 19, 21, 22, 60]))
            pair = draw(st.sampled_from([("[", "]"), ("{a: ", "}"), ('{"a": ', "}")]))
            text = text[:at] + nested(depth, *pair, inner="1") + text[at:]
        elif kind == "line":
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[j])  # a duplicated line: duplicate keys, broken indentation
            text = "\n".join(lines)
        else:
            unit = draw(st.sampled_from(["あ", "x", "9", "- x\n", "a: 1\n"]))
            # many lines are slow to read (4,000 lines of YAML ~0.2 s; past the node limit ~1.5 s,
            # which tests/plan/test_loader.py checks once): few lines mostly; long strings are cheap
            rare = draw(st.integers(0, 19)) == 0
            if unit.endswith("\n"):
                sizes = [4_001] if rare else [3, 30, 100]
            else:
                sizes = [60_000] if rare else [101, 201, 4_001, 10_001]
            text = text[:at] + unit * draw(st.sampled_from(sizes)) + text[at:]
    raw = text.encode("utf-8")
    if draw(st.integers(0, 14)) == 0:  # broken UTF-8 and stray bytes
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"])) + raw[at:]
    return suffix, raw


#: Scalars of any kind the web or a caller could put in plan data (JSON values and beyond).
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(NASTY),
)
KEYS = st.one_of(
    st.sampled_from(
        [
            "program",
            "company",
            "name",
            "actuals",
            "period",
            "pl",
            "bs",
            "sales",
            "drivers",
            "years",
            "banks",
            "loans",
            "cash_table",
            "months",
            "notes",
            "405",
        ]
    ),
    st.text(max_size=8),
)


def json_like(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=5)),
        max_leaves=max_leaves,
    )


def deep_value(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


#: The plans as data (JSON values), read once.
SMALL_DATA = [json.loads(_json_text(p)) for p in SMALL_FILES]
FULL_DATA = [json.loads(_json_text(p)) for p in EXAMPLE_FILES]


@st.composite
def hostile_structure(draw: st.DrawFn) -> Any:
    """Plan data in memory: an example with one part replaced by hostile structure, or junk."""
    if draw(st.integers(0, 4)) == 0:
        return draw(json_like())
    full = draw(st.integers(0, 9)) == 0
    data: Any = copy.deepcopy(draw(st.sampled_from(FULL_DATA if full else SMALL_DATA)))
    for _ in range(draw(st.integers(1, 3))):
        keys = list(data) if isinstance(data, dict) else []
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        choice = draw(st.integers(0, 5))
        if choice == 0:
            data[key] = deep_value(draw(st.sampled_from([19, 21, 22, 900, 3000])))
        elif choice == 1:
            data[key] = "あ" * draw(st.sampled_from([101, 4001, 10_001, 200_000]))
        elif choice == 2:
            data[key] = [0] * draw(st.sampled_from([999, 1_001]))
        elif choice == 3:
            data[key] = draw(SCALARS)
        elif choice == 4 and isinstance(data[key], dict) and data[key]:
            inner = draw(st.sampled_from(list(data[key])))
            data[key][inner] = draw(json_like(10))
        else:
            data[key] = draw(json_like(10))
    return data


def decimal_free(value: Any) -> Any:
    """JSON values only (Decimal → float), as the web stores them."""
    if isinstance(value, dict):
        return {str(k): decimal_free(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [decimal_free(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def is_japanese(text: str) -> bool:
    """A message for people: it has Japanese in it (kana or kanji)."""
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
