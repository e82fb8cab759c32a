"""Bad input: each a clear Japanese message naming the row and column; nothing half-counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from keiei.errors import KeieiInputError
from keiei.monitoring import import_books, load_mapping, read_books
from keiei.monitoring.books import parse_day
from keiei.plan import Plan

from .conftest import BOOKS

ROW = "2111,1,,2025/10/05,現金,,,対象外,1000,0,売上高,,,対象外,1000,0,摘要,,,0,,,0,0,no"


def _write(tmp_path: Path, text: str, encoding: str = "cp932", name: str = "books.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(KeieiInputError) as caught:
        read_books(_write(tmp_path, ""))
    assert "空です" in caught.value.message_ja
    assert caught.value.field == "FILE"


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as stream:  # sparse: 101 MiB without writing them
        stream.truncate(101 * 1024 * 1024)
    with pytest.raises(KeieiInputError) as caught:
        read_books(path)
    assert "大きすぎます" in caught.value.message_ja


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "euc.csv"
    path.write_bytes(ROW.encode("euc_jp").replace(b"\xb8", b"\xff"))
    with pytest.raises(KeieiInputError) as caught:
        read_books(path)
    assert "文字コード" in caught.value.message_ja


def test_encoding_breaks_later_in_the_file(tmp_path: Path) -> None:
    head = (ROW + "\r\n").encode("utf-8") * 20_000  # past the 1 MB sample
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + ROW.encode("cp932"))
    with pytest.raises(KeieiInputError) as caught:
        read_books(path, "yayoi")
    assert "読めない文字" in caught.value.message_ja
    assert caught.value.field == "FILE: 20001 行目"


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(KeieiInputError) as caught:
        read_books(_write(tmp_path, "a,b,c\r\n1,2,3\r\n", "utf-8"))
    assert "--format" in caught.value.message_ja
    assert caught.value.field == "--format"


def test_yayoi_named_but_not_yayoi(tmp_path: Path) -> None:
    with pytest.raises(KeieiInputError) as caught:
        read_books(BOOKS / "mf-journal.csv", "yayoi")
    assert "弥生インポート形式ではありません" in caught.value.message_ja


def test_unbalanced_voucher_is_left_out_whole(tmp_path: Path, plan: Plan) -> None:
    text = "\r\n".join(
        [
            ROW,
            "2110,2,,2025/10/06,現金,,,,500,,,,,,,,,,,,,,,,",
            "2100,2,,2025/10/06,,,,,,,売上高,,,,300,,,,,,,,,,",
            "2101,2,,2025/10/06,,,,,,,売上高,,,,100,,,,,,,,,,",
        ]
    )
    actuals = import_books(_write(tmp_path, text), plan)
    (finding,) = [f for f in actuals.findings if f.code == "books.unbalanced"]
    assert "2〜4 行目" in finding.message and "500" in finding.message and "400" in finding.message
    assert actuals.periods[0].pl == {"sales": 1000}


def test_bad_date_names_row_and_column(tmp_path: Path, plan: Plan) -> None:
    text = ROW + "\r\n" + ROW.replace("2025/10/05", "2025/13/01") + "\r\n" + ROW.replace("2025/10/05", "R.01/04/30")
    books = read_books(_write(tmp_path, text), "yayoi")
    messages = [f.message for f in books.findings]
    assert any(m.startswith("2 行目・4列目（取引日付）") and "存在しない日付" in m for m in messages)
    assert any(m.startswith("3 行目・4列目（取引日付）") and "令和にない日付" in m for m in messages)
    assert books.rows_used == 1 and books.rows_rejected == 2


def test_bad_amount_and_flag(tmp_path: Path) -> None:
    text = "\r\n".join([ROW.replace(",1000,0,売上高", ",12.5,0,売上高"), ROW.replace("2111", "9999", 1)])
    books = read_books(_write(tmp_path, text), "yayoi")
    messages = [f.message for f in books.findings]
    assert any("9列目（借方金額）" in m and "端数" in m for m in messages)
    assert any("1列目（識別フラグ）" in m for m in messages)


def test_missing_column_in_a_header_file(tmp_path: Path) -> None:
    text = (BOOKS / "freee-journal.csv").read_text("utf-8-sig").replace("借方金額", "借方きんがく", 1)
    with pytest.raises(KeieiInputError) as caught:
        read_books(_write(tmp_path, text, "utf-8"), "freee")
    assert "借方金額" in caught.value.message_ja


def test_dropped_columns_still_read(tmp_path: Path, plan: Plan) -> None:
    """freee lets users untick columns: only the ones read are needed."""
    lines = (BOOKS / "freee-journal.csv").read_text("utf-8-sig").splitlines()
    keep = [0, 1, 3, 5, 8, 10]
    cut = "\r\n".join(",".join(line.split(",")[i] for i in keep) for line in lines)
    actuals = import_books(_write(tmp_path, cut, "cp932"), plan, "freee")
    assert actuals.source.encoding == "cp932"
    assert [p.pl for p in actuals.periods] == [p.pl for p in import_books(BOOKS / "freee-journal.csv", plan).periods]


def test_generic_unknown_column(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "columns:\n  account: 科目名\n  closing: 残高\n  period: {from: 2025-10, to: 2026-03}\n", "utf-8"
    )
    with pytest.raises(KeieiInputError) as caught:
        read_books(BOOKS / "generic-trial.csv", "generic", load_mapping(mapping))
    assert "科目名" in caught.value.message_ja
    assert caught.value.field == "mapping: columns.account"


def test_mapping_to_an_unknown_line(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("accounts:\n  雑費: misc\n", "utf-8")
    with pytest.raises(KeieiInputError) as caught:
        load_mapping(mapping)
    assert "misc" in caught.value.message_ja


def test_unbalanced_trial_balance(tmp_path: Path, plan: Plan) -> None:
    text = (
        (BOOKS / "freee-trial.json")
        .read_text("utf-8")
        .replace('"closing_balance": 500000', '"closing_balance": 500001', 1)
    )
    actuals = import_books(_write(tmp_path, text, "utf-8", "t.json"), plan)
    (finding,) = [f for f in actuals.findings if f.code == "actuals.bs_unbalanced"]
    assert "差額 1 円" in finding.message


def test_months_outside_the_plan(tmp_path: Path, plan: Plan) -> None:
    actuals = import_books(_write(tmp_path, ROW.replace("2025/10/05", "2024/10/05")), plan)
    assert any(f.code == "actuals.outside_plan" for f in actuals.findings)


@pytest.mark.parametrize(
    "text", ["20251001", "2025/10/01", "2025/1/1", "2025-10-01", "R.07/10/01", "R07/1/1", "H.31/04/30"]
)
def test_dates_read(text: str) -> None:
    assert not isinstance(parse_day(text), str)


def test_line_numbers_hold_across_blocks_plain_and_quoted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain blocks are split at commas, blocks with quotes go through csv.reader; a bad row far
    down, after a quoted 摘要 holding a comma and a line break, is still named by its line."""
    from keiei.monitoring import yayoi

    monkeypatch.setattr(yayoi, "BLOCK_CHARS", 500)  # many small blocks
    monkeypatch.setattr(yayoi, "CHUNK_ROWS", 3)
    plain = [ROW] * 40
    quoted = ROW.replace(",摘要,", ',"摘要, 二行目は\r\n改行のあと",')
    bad = ROW.replace("2025/10/05", "2025/13/01")
    text = "\r\n".join([*plain, quoted, *plain, bad, ROW]) + "\r\n"
    books = read_books(_write(tmp_path, text), "yayoi")
    # lines: 40 plain, the quoted row takes lines 41–42, 40 plain (43–82), the bad row is line 83
    dated = [f.message for f in books.findings if "取引日付" in f.message]
    assert len(dated) == 1 and dated[0].startswith("83 行目・4列目（取引日付）")
    assert books.rows_used == 40 + 1 + 40 + 1 and books.rows_rejected == 1
    moves = sum(debit for (month, account), (debit, credit) in books.moves.items() if account == "現金")
    assert moves == 82 * 1000
