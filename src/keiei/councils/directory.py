"""The directory of 中小企業活性化協議会 offices: load the data file and answer "where do I apply?".

Why this shape: a user knows either their prefecture or their postal code, not the name of the
council. `find` takes either and returns the offices of that prefecture's council. Two
prefectures have two offices (北海道: 札幌 and 帯広; 鳥取県: 鳥取 and 米子); there the order says which
one to try first, and each result carries a Japanese `reason` for its position, because the
order for a postal code is keiei's own assumption (see docs/councils.md), not an official rule.

The data (src/keiei/councils/data/councils.yaml) is the seed pamphlet's table with postal-proven
typos corrected; this module only validates and serves it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import yaml

from keiei.councils.normalize import (
    format_postal_code,
    looks_numeric,
    parse_postal_code,
    to_halfwidth,
)
from keiei.councils.postal import PostalPlace, lookup
from keiei.errors import KeieiInputError

DATA_FILE = "councils.yaml"
QUERY_FIELD = "QUERY"
ROLE_MAIN = "main"
ROLE_BRANCH = "branch"
_PREFECTURE_SUFFIXES = ("都", "道", "府", "県")


class CouncilsDataError(KeieiInputError):
    """The councils data file is malformed; `field` is 'councils.yaml: offices[i].key'."""


@dataclass(frozen=True)
class Evidence:
    """One postal-data record that supports a correction or a note."""

    postal_code: str  # NNN-NNNN
    place: str  # what the postal data says, e.g. 宮城県仙台市青葉区二日町
    name: str = ""  # for an office code: whose code it is

    def as_dict(self) -> dict[str, str]:
        out = {"postal_code": self.postal_code, "place": self.place}
        if self.name:
            out["name"] = self.name
        return out


@dataclass(frozen=True)
class Correction:
    """A seed typo that the postal data proves, and what keiei shows instead."""

    field: str
    seed: str
    corrected: str
    reason: str
    evidence: tuple[Evidence, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "seed": self.seed,
            "corrected": self.corrected,
            "reason": self.reason,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class PostalNote:
    """A disagreement with the postal data that proves no typo, so the seed is kept; shown to users."""

    kind: str  # the check that disagrees: "neighborhood" | "banchi"
    evidence: Evidence
    message: str


@dataclass(frozen=True)
class Area:
    """The municipalities for which a branch office is listed first (keiei's assumption)."""

    name: str
    basis: str
    municipalities: tuple[tuple[str, str], ...]  # (JIS X 0402 code, name as in the postal data)

    def contains(self, place: PostalPlace) -> bool:
        """True when every municipality the postal code covers lies in this area."""
        codes = {jis for jis, _ in self.municipalities}
        return bool(place.jis_codes) and all(jis in codes for jis in place.jis_codes)


@dataclass(frozen=True)
class Office:
    """One office (窓口) of a council, as data; `reason` is set only on `find` results."""

    council: str
    operator: str
    prefecture: str
    postal_code: str
    address: str
    phone: str
    address_seed: str
    role: str | None = None  # main / branch where a prefecture has two offices
    site: str | None = None  # short place label (札幌, 帯広, 鳥取, 米子) where there are two
    area: Area | None = None
    seed_blank: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    notes: tuple[PostalNote, ...] = ()
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON; the first six keys are a stable interface."""
        return {
            "council": self.council,
            "operator": self.operator,
            "prefecture": self.prefecture,
            "postal_code": self.postal_code,
            "address": self.address,
            "phone": self.phone,
            "role": self.role,
            "site": self.site,
            "reason": self.reason,
            "notes": [n.message for n in self.notes],
            "address_seed": self.address_seed,
            "corrections": [c.as_dict() for c in self.corrections],
        }


# --- loading -------------------------------------------------------------------------------------


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value:
        raise CouncilsDataError(f"{DATA_FILE}: {where}.{key}", "文字列が必要です。", "a non-empty string is required")
    return value


def _list(raw: dict[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise CouncilsDataError(f"{DATA_FILE}: {where}.{key}", "リストが必要です。", "a list is required")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CouncilsDataError(f"{DATA_FILE}: {where}", "対応表（mapping）が必要です。", "a mapping is required")
    return value


def _postal_code(raw: dict[str, Any], where: str) -> str:
    code = _text(raw, "postal_code", where)
    if re.fullmatch(r"[0-9]{3}-[0-9]{4}", code) is None:
        raise CouncilsDataError(
            f"{DATA_FILE}: {where}.postal_code",
            "郵便番号は NNN-NNNN で書いてください。",
            "postal code must be NNN-NNNN",
        )
    return code


def _evidence(raw: Any, where: str) -> Evidence:
    m = _mapping(raw, where)
    return Evidence(_postal_code(m, where), _text(m, "place", where), _text(m, "name", where, required=False))


_OFFICE_KEYS = frozenset(
    {
        "council",
        "operator",
        "prefecture",
        "postal_code",
        "address_seed",
        "address",
        "phone",
        "role",
        "site",
        "area",
        "seed_blank",
        "corrections",
        "postal_notes",
    }
)


def _office(raw: Any, i: int) -> Office:
    where = f"offices[{i}]"
    m = _mapping(raw, where)
    unknown = sorted(set(m) - _OFFICE_KEYS)
    if unknown:  # a misspelt key would otherwise drop a correction or a note silently
        raise CouncilsDataError(f"{DATA_FILE}: {where}.{unknown[0]}", "知らない項目です。", "unknown key")
    office = Office(
        council=_text(m, "council", where),
        operator=_text(m, "operator", where),
        prefecture=_text(m, "prefecture", where),
        postal_code=_postal_code(m, where),
        address=_text(m, "address", where),
        phone=_text(m, "phone", where),
        address_seed=_text(m, "address_seed", where),
        role=_text(m, "role", where, required=False) or None,
        site=_text(m, "site", where, required=False) or None,
        seed_blank=tuple(str(x) for x in _list(m, "seed_blank", where)),
        corrections=tuple(
            _correction(c, f"{where}.corrections[{j}]") for j, c in enumerate(_list(m, "corrections", where))
        ),
        notes=tuple(_note(n, f"{where}.postal_notes[{j}]") for j, n in enumerate(_list(m, "postal_notes", where))),
        area=_area(m["area"], f"{where}.area") if "area" in m else None,
    )
    if office.role not in (None, ROLE_MAIN, ROLE_BRANCH):
        raise CouncilsDataError(
            f"{DATA_FILE}: {where}.role", "role は main か branch です。", "role must be main or branch"
        )
    if not office.address.startswith(office.prefecture):
        raise CouncilsDataError(
            f"{DATA_FILE}: {where}.address",
            "住所は都道府県名から書いてください。",
            "address must start with the prefecture",
        )
    return office


def _correction(raw: Any, where: str) -> Correction:
    m = _mapping(raw, where)
    return Correction(
        field=_text(m, "field", where),
        seed=_text(m, "seed", where),
        corrected=_text(m, "corrected", where),
        reason=_text(m, "reason", where),
        evidence=tuple(_evidence(e, f"{where}.evidence[{k}]") for k, e in enumerate(_list(m, "evidence", where))),
    )


def _note(raw: Any, where: str) -> PostalNote:
    m = _mapping(raw, where)
    return PostalNote(kind=_text(m, "kind", where), evidence=_evidence(m, where), message=_text(m, "message", where))


def _area(raw: Any, where: str) -> Area:
    m = _mapping(raw, where)
    municipalities = []
    for k, item in enumerate(_list(m, "municipalities", where)):
        entry = _mapping(item, f"{where}.municipalities[{k}]")
        municipalities.append(
            (_text(entry, "jis", f"{where}.municipalities[{k}]"), _text(entry, "name", f"{where}.municipalities[{k}]"))
        )
    return Area(_text(m, "name", where), _text(m, "basis", where), tuple(municipalities))


def _check_structure(offices: tuple[Office, ...]) -> None:
    """Each prefecture has one council; with two offices, exactly one main and one branch with an area."""
    by_prefecture: dict[str, list[Office]] = {}
    for office in offices:
        by_prefecture.setdefault(office.prefecture, []).append(office)
    for prefecture, group in by_prefecture.items():
        if len({o.council for o in group}) != 1:
            raise CouncilsDataError(
                f"{DATA_FILE}: {prefecture}",
                "1つの都道府県に協議会が複数あります。",
                "more than one council for a prefecture",
            )
        if len(group) == 1:
            continue
        roles = sorted(o.role or "" for o in group)
        if roles != [ROLE_BRANCH, ROLE_MAIN] or any(o.role == ROLE_BRANCH and o.area is None for o in group):
            raise CouncilsDataError(
                f"{DATA_FILE}: {prefecture}",
                "窓口が2つある都道府県には main と（area つきの）branch が1つずつ必要です。",
                "two offices need one main and one branch with an area",
            )


def parse_document(raw: Any) -> tuple[dict[str, str], tuple[Office, ...]]:
    """The `source:` block and the offices of a parsed data file, validated.

    Separate from reading the file so that the validation can be tested on small documents.
    """
    doc = _mapping(raw, "(top)")
    source = {str(k): str(v) for k, v in _mapping(doc.get("source"), "source").items()}
    offices = tuple(_office(item, i) for i, item in enumerate(_list(doc, "offices", "(top)")))
    _check_structure(offices)
    return source, offices


@functools.cache
def _load_file() -> tuple[dict[str, str], tuple[Office, ...]]:
    path = resources.files("keiei.councils").joinpath("data", DATA_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CouncilsDataError(DATA_FILE, "YAML として読めません。", f"invalid YAML: {exc}") from exc
    return parse_document(raw)


def _load() -> tuple[Office, ...]:
    return _load_file()[1]


def all_offices() -> list[Office]:
    """Every office in the seed's order (47 councils, 49 offices). Loaded once, then cached."""
    return list(_load())


def source() -> dict[str, str]:
    """Where the data comes from (the `source:` block of the data file)."""
    return dict(_load_file()[0])


def prefectures() -> list[str]:
    """The 47 prefectures, in the seed's order."""
    return list(dict.fromkeys(o.prefecture for o in _load()))


# --- finding -------------------------------------------------------------------------------------


def find(query: str) -> list[Office]:
    """The offices for a postal code (any common way of writing it) or a prefecture name.

    Raises KeieiInputError (field QUERY) for an empty query, a malformed or unknown postal code,
    or a name that is not a prefecture.
    """
    text = query.strip()
    if not text:
        raise KeieiInputError(QUERY_FIELD, "郵便番号または都道府県名を指定してください。", "empty query")
    digits = parse_postal_code(text)
    if digits is not None:
        return _find_by_postal_code(digits)
    if looks_numeric(text):
        raise KeieiInputError(
            QUERY_FIELD,
            f"郵便番号は7桁で指定してください（例: 100-0005）: {text}",
            f"postal code must have 7 digits: {text!r}",
        )
    return _find_by_prefecture(text)


def _match_prefecture(text: str) -> str | None:
    """The prefecture named by `text`: its full name, or the name without 都/道/府/県.

    Exact matching only: `京都` is 京都府 and never 東京都, `東京` is 東京都.
    """
    name = "".join(to_halfwidth(text).split())
    for prefecture in prefectures():
        short = prefecture[:-1] if prefecture.endswith(_PREFECTURE_SUFFIXES) else prefecture
        if name in (prefecture, short):
            return prefecture
    return None


def _find_by_prefecture(text: str) -> list[Office]:
    prefecture = _match_prefecture(text)
    if prefecture is None:
        raise KeieiInputError(
            QUERY_FIELD,
            f"都道府県名として認識できません: {text}（例: 大阪府、大阪、北海道、または郵便番号 100-0005）",
            f"not a prefecture name or postal code: {text!r}",
        )
    offices = [o for o in _load() if o.prefecture == prefecture]
    if len(offices) == 1:
        return offices
    main, branch = _main_and_branch(offices)
    area = branch.area.name if branch.area else ""
    return [
        replace(main, reason=f"{prefecture}の主たる窓口（{main.site}）です。パンフレットで先に掲載されています。"),
        replace(branch, reason=f"{branch.site}の窓口です。{area}の方はこちらが近い場合があります（keiei独自の目安）。"),
    ]


def _find_by_postal_code(digits: str) -> list[Office]:
    place = lookup(digits)
    if place is None:
        raise KeieiInputError(
            QUERY_FIELD,
            f"郵便番号 {digits} は見つかりません（日本郵便の郵便番号データにありません）。",
            f"postal code {digits} not found in Japan Post data",
        )
    offices = [o for o in _load() if o.prefecture == place.prefecture]
    if not offices:  # cannot happen with 47 prefectures, but say so rather than return nothing
        raise KeieiInputError(
            QUERY_FIELD,
            f"郵便番号 {digits}（{place.prefecture}）の協議会がデータにありません。",
            f"no council for prefecture {place.prefecture!r}",
        )
    if len(offices) == 1:
        return offices
    return order_for_place(offices, place)


def order_for_place(offices: list[Office], place: PostalPlace) -> list[Office]:
    """Two offices of one council, ordered for a postal code, each with its `reason`.

    The branch office comes first when every municipality the postal code covers lies in the
    branch's `area`; otherwise the main office does. Deciding by municipality (JIS code from the
    postal data) rather than by postal-code prefix works for both prefectures: in 鳥取県 the prefix
    689 is used in the east, centre and west alike, so no prefix rule can tell 米子 from 鳥取.
    """
    main, branch = _main_and_branch(offices)
    area = branch.area
    assert area is not None  # guaranteed by _check_structure
    where = f"〒{format_postal_code(place.postal_code)}（{place.area_text}）"
    if area.contains(place):
        return [
            replace(
                branch,
                reason=f"{where}は{area.name}のため、{branch.site}の窓口を先に表示しています"
                "（keiei独自の目安で、公式の管轄ではありません）。",
            ),
            replace(main, reason=f"{main.prefecture}の主たる窓口（{main.site}）です。"),
        ]
    return [
        replace(main, reason=f"{where}は{area.name}の外のため、主たる窓口（{main.site}）を先に表示しています。"),
        replace(branch, reason=f"{branch.site}の窓口です。{area.name}の方向け（keiei独自の目安）。"),
    ]


def _main_and_branch(offices: list[Office]) -> tuple[Office, Office]:
    main = next(o for o in offices if o.role == ROLE_MAIN)
    branch = next(o for o in offices if o.role == ROLE_BRANCH)
    return main, branch
