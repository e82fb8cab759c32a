"""Escaping for every context a value lands in when a document is made: one helper per context.

Why one module: plan and case fields are typed by users (a company, an adviser, anyone who can
edit a plan in the web app), and documents put those strings into several languages at once —
HTML text and attributes, CSS inside a `<style>` element, SVG, spreadsheet cells, and Typst source
(the PDF engine is Typst fed with JSON data, so no user string is Typst source today;
`typst_string` is ready should one ever be). Each language has its own dangerous characters;
escaping for the wrong one is as bad as not escaping (a CSS string that escapes quotes but not
`</style>` let a company name close the style element and add `<link rel=attachment
href=file:///etc/passwd>`, which the former HTML engine, WeasyPrint, then embedded in the PDF). Every template and
builder takes its helper from here, and tests/documents/test_escape.py holds each helper to
hostile strings, so a new engine or template reuses the helpers and their tests.

| context | helper | used by |
|---|---|---|
| HTML text, HTML attribute value (double-quoted) | `html_text`, `html_attr` (Jinja's autoescape does the same) | templates, `nl2br` |
| HTML text with line breaks | `html_lines` | the `nl2br` filter |
| CSS string literal, also inside `<style>` | `css_string` | `@page` margin boxes |
| SVG/XML text and attribute values | `svg_text`, `svg_attr` | the business model diagram |
| Typst string literal | `typst_string` | the Typst engine (a later issue) |
| spreadsheet cell in a CSV | `csv_cell` | the council's CSV of cases |
| spreadsheet text cell in an xlsx | `formula_like` (text is written with `write_string` and a quote prefix) | the workbook |
| xlsx page header/footer | `xlsx_header_text` | the workbook |
| matplotlib text (the diagram image) | `MATPLOTLIB_TEXT` (keyword arguments) | `diagram.to_png` |
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

__all__ = [
    "FORMULA_PREFIXES",
    "MATPLOTLIB_TEXT",
    "css_string",
    "csv_cell",
    "formula_like",
    "html_attr",
    "html_lines",
    "html_text",
    "svg_attr",
    "svg_text",
    "typst_string",
    "xlsx_header_text",
    "xml_chars",
]

# --------------------------------------------------------------------------- HTML


def html_text(value: object) -> Markup:
    """Text between HTML tags: `&`, `<`, `>`, `"` and `'` become character references.

    The same escaping Jinja's autoescape applies to `{{ value }}`; this function is for HTML
    built in Python (filters, macros' helpers), so that no string reaches a template unescaped.
    A value that is already `Markup` (built by keiei from escaped parts) is kept as it is.
    """
    return escape(value)


def html_attr(value: object) -> Markup:
    """An attribute value; the template must put it in double quotes (`title="{{ v }}"`).

    Escaping quotes as well as `<>&` makes the value unable to end the attribute or the tag.
    An unquoted attribute is never safe, whatever the escaping: the templates quote every one.
    """
    return escape(value)


def html_lines(value: object) -> Markup:
    """Multi-line text as HTML: each line escaped (`html_text`), joined with `<br>`."""
    text = "" if value is None else str(value)
    return Markup("<br>").join(html_text(line) for line in text.replace("\r\n", "\n").split("\n"))


# --------------------------------------------------------------------------- CSS

#: Characters kept as they are inside a CSS string: ASCII letters, digits and the space.
#: Every other ASCII character (quotes, backslash, `<`, `>`, `&`, `/`, `;`, `{`, `}`, …) and
#: every control, format (bidi), separator or unassigned character is written as a hex escape.
_CSS_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ")


def _css_keeps(ch: str) -> bool:
    if ch in _CSS_PLAIN:
        return True
    if ord(ch) < 0x80:
        return False
    return unicodedata.category(ch)[0] not in "CZ"  # letters, marks, numbers, punctuation, symbols


def css_string(text: object) -> Markup:
    """A CSS string literal, quotes included, safe inside a `<style>` element.

    Why hex escapes for everything but letters, digits and spaces: inside `<style>` the HTML
    parser ends the element at `</style` whatever CSS thinks, so escaping only quotes (what this
    function did before) let a company name close the style sheet and inject HTML. A CSS hex
    escape (`\\3c ` for `<`) is decoded by the CSS parser only, after the HTML parser has seen
    no `<`, `>` or `&` at all; quotes, backslashes and newlines cannot end the string either.
    The escape ends with a space, which CSS consumes, so a following hex digit is not taken in.
    NUL (not allowed in CSS) becomes U+FFFD, as a CSS parser would make it.
    """
    out = ['"']
    for ch in "" if text is None else str(text):
        if ch == "\0":
            ch = "\ufffd"
        out.append(ch if _css_keeps(ch) else f"\\{ord(ch):x} ")
    out.append('"')
    return Markup("".join(out))


# --------------------------------------------------------------------------- SVG / XML

#: Characters XML 1.0 does not allow at all (not even as character references).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_chars(text: str) -> str:
    """`text` with the characters XML 1.0 forbids replaced by U+FFFD.

    An SVG (or the xlsx parts) holding such a character is not well-formed, and a renderer
    drops the whole drawing; U+FFFD shows that something was there without breaking it.
    """
    return _XML_INVALID.sub("\ufffd", text)


def svg_text(value: object) -> str:
    """Character data of an SVG/XML element (`<text>…</text>`): `&`, `<`, `>` escaped.

    Quotes are escaped too (harmless in text, and the same function is then safe for
    attributes); characters XML forbids become U+FFFD (`xml_chars`).
    """
    text = xml_chars("" if value is None else str(value))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def svg_attr(value: object) -> str:
    """An SVG/XML attribute value for a double-quoted attribute (`font-family="…"`).

    Like `svg_text`, and tab, newline and carriage return become references, since an XML
    parser would otherwise normalise them to spaces.
    """
    return svg_text(value).replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


# --------------------------------------------------------------------------- matplotlib

#: Keyword arguments for every matplotlib text made from user text (`ax.text(..., **MATPLOTLIB_TEXT)`).
#: Why: matplotlib reads text between `$` signs as mathtext (TeX-like); a party named
#: `$\\frac{1}{$` made the workbook build fail with a traceback, and `$x^2$` would be drawn
#: as a formula. With `parse_math=False` the text is drawn as it is written.
MATPLOTLIB_TEXT: dict[str, Any] = {"parse_math": False}


# --------------------------------------------------------------------------- Typst

_TYPST_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def typst_string(text: object) -> str:
    """A Typst string literal, quotes included: `"…"`.

    Why a string literal rather than escaping markup: in Typst markup `#`, `[`, `]`, `*`, `_`,
    `$`, `@`, `<`, `` ` `` and `\\` all mean something, and a user's `#import "x"` or `]` could
    start code or end a content block. Inside a string literal only `\\` and `"` are special,
    so templates receive user text as strings (`#"…"` in markup, or an argument in code) and
    it is always shown as text. Control and format characters are written as `\\u{…}`, so the
    source stays one line and readable; the text shown is unchanged.
    """
    out = ['"']
    for ch in "" if text is None else str(text):
        if ch in _TYPST_ESCAPES:
            out.append(_TYPST_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------- spreadsheets

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection:
#: `=`, `+`, `-`, `@`, tab, carriage return), plus their full-width forms, which Japanese
#: input turns into the ASCII ones when a user re-enters the cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: A plain decimal number (an optional minus sign): read as a number, never as a formula.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def formula_like(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula (it starts with a formula mark).

    A plain number such as `-1200` is not formula-like: a spreadsheet reads it as the number.
    """
    return text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text)


def csv_cell(value: object) -> str:
    """One CSV cell: numbers as they are, text that could start a formula prefixed with `'`.

    Why: Excel and LibreOffice evaluate a CSV cell starting with `=`, `+`, `-`, `@`, tab or CR
    as a formula (`=HYPERLINK(...)`, DDE). The OWASP mitigation prefixes a single quote, which
    the spreadsheet shows as text. Numbers (`int`, `Decimal`, and text that is exactly a plain
    number, negative ones included) stay numbers. `None` is an empty cell; `bool` is refused
    (a caller's mistake, not a value to guess).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("csv_cell: a bool is not a cell value")
    if isinstance(value, int | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if formula_like(text) else text


def xlsx_header_text(text: object) -> str:
    """Text for an xlsx page header or footer, where `&` starts a control code.

    `&P` is the page number, `&G` a picture, `&"font"` a font: a company name holding `&` must
    not switch them on, so every `&` is doubled (Excel's escape for a literal ampersand).
    """
    return ("" if text is None else str(text)).replace("&", "&&")
