"""`keiei councils list|find` through the real dispatcher (`keiei.cli.main`)."""

from __future__ import annotations

import json

import pytest

from keiei.cli import main

INTERFACE_KEYS = {"council", "operator", "prefecture", "postal_code", "address", "phone"}


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[dict[str, object]]:
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list)
    return data


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["councils", "list", "--json"])
    assert len(data) == 49
    assert all(set(item) >= INTERFACE_KEYS for item in data)
    assert len({item["council"] for item in data}) == 47
    assert data[0]["postal_code"] == "060-0001" and data[-1]["prefecture"] == "沖縄県"


def test_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils", "list"]) == 0
    out = capsys.readouterr().out
    assert "47協議会・49窓口" in out
    assert "〒980-0802 宮城県仙台市青葉区二日町12-30" in out
    assert "電話: 098-868-3760" in out


def test_find_json_keys_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["councils", "find", "大阪", "--json"])
    assert len(data) == 1
    item = data[0]
    assert set(item) >= INTERFACE_KEYS
    assert item["council"] == "大阪府中小企業活性化協議会"
    assert item["operator"] == "大阪商工会議所"
    assert item["postal_code"] == "540-0029"
    assert item["address"] == "大阪府大阪市中央区本町橋2-8 大阪商工会議所 5階"
    assert item["phone"] == "06-6944-6481"


def test_find_json_two_offices_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["councils", "find", "〒684-0004", "--json"])
    assert [item["site"] for item in data] == ["米子", "鳥取"]
    assert [item["role"] for item in data] == ["branch", "main"]
    assert all(item["reason"] for item in data)


def test_find_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils", "find", "080-0013"]) == 0
    out = capsys.readouterr().out
    assert out.index("帯広") < out.index("札幌")
    assert "〒080-0013 北海道帯広市西3条南9丁目23番地" in out
    assert "電話: 0155-67-1144" in out
    assert "表示順:" in out


def test_find_text_shows_note_and_correction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils", "find", "和歌山"]) == 0
    out = capsys.readouterr().out
    assert "西汀丁36" in out
    assert "訪問前に電話で所在地を確認" in out


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("9999999", "郵便番号 9999999 は見つかりません"),
        ("大坂", "都道府県名として認識できません: 大坂"),
        ("12345", "郵便番号は7桁で指定してください"),
    ],
)
def test_bad_query_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], query: str, message: str) -> None:
    assert main(["councils", "find", query]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("エラー: QUERY: ")
    assert message in lines[0]


def test_bad_query_json_also_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils", "find", "9999999", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1


def test_missing_query_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils", "find"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_no_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["councils"]) == 2
    assert "find" in capsys.readouterr().out
