"""Every rule cites a source a reader can open: a public address, or a file in this repository.

The rules once cited notes kept outside the repository (`shared/seeds/…`, `shared/docs/…`),
which nobody who has only the repository can check. Each `reference` must now name at least one
`https://` address or an existing file of the repository, and name no file that is missing; a
site written without its scheme (`example.or.jp/page`) must be written as an address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from keiei.rules.programs import data_dir

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(data_dir().glob("*.yaml"))

_URL = re.compile(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/[^\s;、，,）)」]*)?")
_PATH = re.compile(r"(?:\.\./|/)?(?:[\w.-]+/)+[\w.-]+\.(?:md|txt|yaml|yml|json|html?|pdf|csv)\b")
_BARE_SITE = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:jp|com|org|net)\b", re.IGNORECASE)


def references(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """(key path, reference) for every `reference` in a rules file, anchors resolved."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference":
                yield where, value
            else:
                yield from references(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from references(value, f"{where}[{i}]")


def problems(reference: str) -> list[str]:
    """What is wrong with one reference (empty when it cites something a reader can open)."""
    found = []
    urls = _URL.findall(reference)
    rest = _URL.sub(" ", reference)
    paths = _PATH.findall(rest)
    for path in paths:
        target = (ROOT / path).resolve()
        if not target.is_file() or not target.is_relative_to(ROOT):
            found.append(f"names a file that is not in the repository: {path}")
    bare = _BARE_SITE.findall(_PATH.sub(" ", rest))
    if bare:
        found.append(f"names a site without https://: {bare}")
    if not urls and not paths:
        found.append("cites neither an https:// address nor a file of the repository")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_reference_is_an_address_or_a_file_in_the_repository(path: Path) -> None:
    cited = list(references(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem))
    assert cited, f"{path.name} cites no source at all"
    bad = {where: problems(ref) for where, ref in cited if problems(ref)}
    assert not bad, f"{path.name}: {bad}"


def test_the_rules_files_are_found() -> None:
    assert {p.name for p in FILES} >= {"common.yaml", "early.yaml", "405.yaml", "405-gl.yaml"}


@pytest.mark.parametrize(
    ("reference", "ok"),
    [
        ("https://www.chusho.meti.go.jp/keiei/saisei/04.html", True),
        ("中小企業庁 https://www.chusho.meti.go.jp/keiei/saisei/05.html; パンフレット", True),
        ("未確認（docs/rules.md の未確認の規則の一覧）", True),
        ("中小機構パンフレット (shared/seeds/000_6bbaca614ea43e46.txt)", False),
        ("isico.or.jp/site/saisei/sakutei.html (shared/docs/program-facts.md)", False),
        ("../shared/docs/program-facts.md", False),
        ("nahacci.or.jp/saisei/center/", False),
        ("パンフレット", False),
    ],
)
def test_the_check_itself(reference: str, ok: bool) -> None:
    assert (problems(reference) == []) is ok, problems(reference)
