"""`find`: every accepted query form, prefecture matching, ordering for two-office prefectures."""

from __future__ import annotations

import pytest

from keiei.councils import find
from keiei.errors import KeieiInputError


@pytest.mark.parametrize(
    "query",
    [
        "100-0005",
        "1000005",
        "〒100-0005",
        "〒1000005",
        "１００－０００５",
        "１０００００５",
        "〒１００ー０００５",
        " 100-0005 ",
        "100 0005",
        "1008994",
    ],
)
def test_postal_code_forms_find_tokyo(query: str) -> None:
    offices = find(query)
    assert [o.prefecture for o in offices] == ["東京都"]
    assert offices[0].council == "東京都中小企業活性化協議会"
    assert offices[0].reason is None


def test_business_postal_code() -> None:
    """事業所個別郵便番号: 1008994 is 東京中央郵便局, 8608547 is 熊本商工会議所."""
    assert [o.prefecture for o in find("1008994")] == ["東京都"]
    assert [o.prefecture for o in find("860-8547")] == ["熊本県"]


@pytest.mark.parametrize(
    ("query", "prefecture"),
    [
        ("大阪府", "大阪府"),
        ("大阪", "大阪府"),
        ("東京", "東京都"),
        ("東京都", "東京都"),
        ("北海道", "北海道"),
        ("京都", "京都府"),
        ("京都府", "京都府"),
        ("鹿児島", "鹿児島県"),
        ("神奈川県", "神奈川県"),
        ("  沖縄 ", "沖縄県"),
    ],
)
def test_prefecture_forms(query: str, prefecture: str) -> None:
    assert {o.prefecture for o in find(query)} == {prefecture}


def test_kyoto_is_not_tokyo() -> None:
    assert [o.council for o in find("京都")] == ["京都府中小企業活性化協議会"]
    assert [o.council for o in find("東京")] == ["東京都中小企業活性化協議会"]


@pytest.mark.parametrize("query", ["京", "都", "東京府", "京都都", "大坂", "大阪市", "Osaka", "境港"])
def test_not_a_prefecture(query: str) -> None:
    with pytest.raises(KeieiInputError) as info:
        find(query)
    assert info.value.field == "QUERY"
    assert "都道府県名として認識できません" in info.value.message_ja
    assert info.value.message_en


@pytest.mark.parametrize("query", ["9999999", "123-4567", "〒000-0000"])
def test_unknown_postal_code(query: str) -> None:
    with pytest.raises(KeieiInputError) as info:
        find(query)
    assert info.value.field == "QUERY"
    digits = query.replace("〒", "").replace("-", "")
    assert info.value.message_ja.startswith(f"郵便番号 {digits} は見つかりません")


@pytest.mark.parametrize("query", ["12345", "100-00055", "1-0-0", ""])
def test_malformed_query(query: str) -> None:
    with pytest.raises(KeieiInputError) as info:
        find(query)
    assert info.value.field == "QUERY"


def _sites(query: str) -> list[str | None]:
    return [o.site for o in find(query)]


def test_prefecture_query_puts_main_office_first() -> None:
    assert _sites("北海道") == ["札幌", "帯広"]
    assert _sites("鳥取") == ["鳥取", "米子"]
    assert _sites("鳥取県") == ["鳥取", "米子"]


@pytest.mark.parametrize(
    ("query", "sites"),
    [
        ("060-0001", ["札幌", "帯広"]),  # 札幌市中央区
        ("040-0001", ["札幌", "帯広"]),  # 函館市
        ("099-0871", ["札幌", "帯広"]),  # 北見市相内町 (オホーツク, 099 just outside 080–089)
        ("080-0013", ["帯広", "札幌"]),  # 帯広市
        ("082-0004", ["帯広", "札幌"]),  # 河西郡芽室町 (十勝)
        ("085-0016", ["帯広", "札幌"]),  # 釧路市 (釧路)
        ("087-0009", ["帯広", "札幌"]),  # 根室市 (根室)
        ("086-1100", ["帯広", "札幌"]),  # 標津郡中標津町 (根室)
        ("689-1112", ["鳥取", "米子"]),  # 鳥取市 (東部)
        ("682-0816", ["鳥取", "米子"]),  # 倉吉市 (中部)
        ("689-2303", ["鳥取", "米子"]),  # 東伯郡琴浦町 (中部, 689 as in the west)
        ("683-0823", ["米子", "鳥取"]),  # 米子市
        ("684-0004", ["米子", "鳥取"]),  # 境港市
        ("689-3211", ["米子", "鳥取"]),  # 西伯郡大山町
        ("689-4503", ["米子", "鳥取"]),  # 日野郡日野町
    ],
)
def test_postal_code_orders_two_offices(query: str, sites: list[str]) -> None:
    assert _sites(query) == sites


def test_every_two_office_result_has_a_reason() -> None:
    for query in ["北海道", "080-0013", "060-0001", "鳥取", "683-0823", "689-1112"]:
        offices = find(query)
        assert len(offices) == 2
        assert all(o.reason for o in offices)
    near = find("085-0016")[0]
    assert near.reason is not None
    assert "十勝・釧路・根室地域" in near.reason and "keiei独自の目安" in near.reason


def test_results_do_not_change_the_directory() -> None:
    """`find` returns copies with a reason; the cached offices stay without one."""
    from keiei.councils import all_offices

    find("080-0013")
    assert all(o.reason is None for o in all_offices())
