"""The escaping helpers (keiei.documents.escape), one per context, held to hostile strings.

Each helper is checked by decoding its output with a real parser of that language (tinycss2
for CSS, an XML parser for SVG, the csv module, a Typst string decoder written from the Typst
reference) and comparing with the input: the text survives unchanged and nothing else
appears. A future engine (Typst) reuses these helpers and these tests.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
import tinycss2
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from keiei.documents.escape import (
    FORMULA_PREFIXES,
    css_string,
    csv_cell,
    formula_like,
    html_attr,
    html_lines,
    html_text,
    svg_attr,
    svg_text,
    typst_string,
    xlsx_header_text,
    xml_chars,
)

from .hostile import PAYLOADS

HOSTILE = [
    *PAYLOADS,
    "",
    "a\\",
    '\\"',
    "'",
    "\n\r\n",
    "</STYLE >",
    "</style",
    "<!--",
    "]]>",
    "\\3c /style\\3e ",
    "株式会社\u3000テスト＆<カンパニー>",
    "\x00nul",
    "😀 emoji",
]


# --------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_and_attr_leave_no_markup(text: str) -> None:
    for helper in (html_text, html_attr):
        out = helper(text)
        assert isinstance(out, Markup)
        assert not re.search(r"[<>\"']", str(out)), out
        assert "&" not in str(out).replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").replace(
            "&#34;", ""
        ).replace("&#39;", "")


def test_html_lines_escapes_each_line_and_only_adds_br() -> None:
    out = html_lines("a<b>\n</style>\r\nc")
    assert out == Markup("a&lt;b&gt;<br>&lt;/style&gt;<br>c")
    assert html_lines(None) == Markup("")
    assert html_lines(0) == Markup("0")


# --------------------------------------------------------------------------- CSS


def _css_value(literal: str) -> str:
    [token] = [t for t in tinycss2.parse_component_value_list(literal) if t.type != "whitespace"]
    assert token.type == "string", token
    return str(token.value)


@pytest.mark.parametrize("text", HOSTILE)
def test_css_string_is_one_css_string_holding_the_text(text: str) -> None:
    out = str(css_string(text))
    assert out.startswith('"') and out.endswith('"')
    inner = out[1:-1]
    # nothing the HTML parser of a <style> element, or CSS, could act on
    assert not re.search(r"[<>&\"'\n\r\x00]", inner), out
    assert "</" not in out.lower()
    assert _css_value(out) == text.replace("\x00", "\ufffd")


@given(st.text())
def test_css_string_round_trips_any_text(text: str) -> None:
    out = str(css_string(text))
    assert not re.search(r"[<>&\"'\n\r]", out[1:-1])
    expected = "".join("\ufffd" if ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    assert _css_value(out) == expected


def test_css_string_keeps_japanese_and_plain_words_readable() -> None:
    """Normal names stay as they are (the golden snapshots rely on the same rendering)."""
    assert css_string("株式会社浪速精密工業") == Markup('"株式会社浪速精密工業"')
    assert css_string("keiei で作成（様式は任意）") == Markup('"keiei で作成（様式は任意）"')
    assert css_string('a"b') == Markup('"a\\22 b"')


# --------------------------------------------------------------------------- SVG / XML


@pytest.mark.parametrize("text", HOSTILE)
def test_svg_text_and_attr_parse_back_to_the_text(text: str) -> None:
    doc = f'<svg xmlns="http://www.w3.org/2000/svg"><text font-family="{svg_attr(text)}">{svg_text(text)}</text></svg>'
    root = ElementTree.fromstring(doc)  # well-formed whatever the text
    [node] = list(root)
    expected = xml_chars(text)
    assert node.get("font-family") == expected
    assert (node.text or "") == expected.replace("\r\n", "\n").replace("\r", "\n")
    assert len(list(node)) == 0  # no element came from the text


def test_xml_chars_replaces_only_what_xml_forbids() -> None:
    assert xml_chars("a\x01b\tc\nd\x7f") == "a\ufffdb\tc\nd\x7f"


# --------------------------------------------------------------------------- Typst


def _typst_decode(literal: str) -> str:
    """A Typst string literal's value, per the Typst reference (escapes: \\\\ \\" \\n \\r \\t \\u{…})."""
    assert literal.startswith('"') and literal.endswith('"')
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        assert ch != '"', f"unescaped quote in {literal!r}"
        assert ch not in "\n\r", f"raw line break in {literal!r}"
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u":
            end = body.index("}", i)
            assert body[i + 2] == "{"
            out.append(chr(int(body[i + 3 : end], 16)))
            i = end + 1
        else:
            out.append({"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}[nxt])
            i += 2
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE)
def test_typst_string_is_one_literal_holding_the_text(text: str) -> None:
    out = typst_string(text)
    assert _typst_decode(out) == text


@given(st.text())
def test_typst_string_round_trips_any_text(text: str) -> None:
    assert _typst_decode(typst_string(text)) == text


# --------------------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", "＝1+1", "－A1"])
def test_csv_cell_prefixes_formula_like_text(text: str) -> None:
    assert formula_like(text)
    assert csv_cell(text) == "'" + text
    rows = list(csv.reader(io.StringIO(_csv_line([csv_cell(text)]))))
    assert rows == [["'" + text]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-1200, "-1200"),
        (0, "0"),
        (Decimal("-1.5"), "-1.5"),
        ("-1200", "-1200"),  # a plain number is a number, not a formula
        ("12.5", "12.5"),
        (None, ""),
        ("株式会社エー", "株式会社エー"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("'quoted", "'quoted"),
    ],
)
def test_csv_cell_keeps_numbers_and_plain_text(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_cell_refuses_bool() -> None:
    with pytest.raises(TypeError):
        csv_cell(True)


def test_formula_prefixes_cover_owasp() -> None:
    assert set("=+-@\t\r") <= set(FORMULA_PREFIXES)


def test_xlsx_header_text_doubles_ampersands() -> None:
    assert xlsx_header_text("A&B &P &G") == "A&&B &&P &&G"
    assert xlsx_header_text(None) == ""


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()
