"""Normalising Japanese place text and postal-code queries so that they can be compared.

Why: the seed pamphlet writes `北1条西2丁目` where Japan Post's data says `北一条西`, users type
`１００－０００５` or `〒1000005`, and `霞ヶ関` / `霞が関` are the same place. Comparing raw strings
would either miss real typos or flag correct addresses, so every comparison in this package goes
through the functions here. The output is for comparison only and is never shown to a user.
"""

from __future__ import annotations

import re
import unicodedata

# Dash-like characters users (and PDFs) put in postal codes and house numbers.
_DASHES = "‐‑‒–—―−ー－ｰ─━"
_DASH_RE = re.compile(f"[{_DASHES}]")

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# Convert kanji numerals only where they count something in an address (条, 丁目, 番, 号, 線,
# 地割): `北一条西` becomes `北1条西`, but names such as `二日町`, `千葉` or `三重` stay as written,
# so that a seed saying `二丁目` is *not* mistaken for `二日町`.
_KANJI_NUMBER_RE = re.compile(r"[〇一二三四五六七八九十百千]+(?=条|丁目|丁|番町|番丁|番地|番|号|線|地割)")

# Spellings of the same kana in place names (霞ヶ関 / 霞が関 / 霞ケ関; 坂ノ上 / 坂の上 / 坂之上).
_KANA_VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "ケ", "が": "ケ", "の": "ノ", "之": "ノ"})

_POSTAL_RE = re.compile(r"^([0-9]{3})-?([0-9]{4})$")


def kanji_to_int(text: str) -> int:
    """Read a kanji numeral: positional (`二〇`) or with units (`二十三`, `百五`)."""
    if not text:
        raise ValueError("empty kanji numeral")
    if all(ch in _KANJI_DIGITS for ch in text):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total = 0
    current = 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a kanji numeral: {text!r}")
    return total + current


def to_halfwidth(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and every dash variant to `-`."""
    return _DASH_RE.sub("-", unicodedata.normalize("NFKC", text))


def normalise_place(text: str) -> str:
    """A place string reduced to a comparable form (no spaces, ASCII digits, one kana spelling)."""
    text = to_halfwidth(text)
    text = re.sub(r"\s+", "", text)
    text = _KANJI_NUMBER_RE.sub(lambda m: str(kanji_to_int(m.group(0))), text)
    return text.translate(_KANA_VARIANTS)


def normalise_banchi(text: str) -> str:
    """House numbers as dash-joined digits: `1丁目16-1` → `1-16-1`, `5番8-8号` → `5-8-8`.

    Returns the leading run of numbers only (a building name after them is ignored), or "" when
    the text does not start with a number.
    """
    text = normalise_place(text)
    text = re.sub(r"丁目|番地|番|号", "-", text)
    match = re.match(r"[0-9]+(?:-+[0-9]+)*", text)
    if match is None:
        return ""
    return re.sub(r"-+", "-", match.group(0))


def parse_postal_code(query: str) -> str | None:
    """The 7 digits of a postal-code query, or None when the query is not shaped like one.

    Accepts `100-0005`, `1000005`, `〒100-0005`, full-width digits and dashes, and spaces.
    """
    text = re.sub(r"\s+", "", to_halfwidth(query)).removeprefix("〒")
    match = _POSTAL_RE.match(text)
    if match is None:
        return None
    return match.group(1) + match.group(2)


def looks_numeric(query: str) -> bool:
    """True for queries made of digits and dashes only (a mistyped postal code, not a place)."""
    text = re.sub(r"\s+", "", to_halfwidth(query)).removeprefix("〒")
    return bool(text) and re.fullmatch(r"[0-9-]+", text) is not None


def format_postal_code(digits: str) -> str:
    """`1000005` → `100-0005`."""
    return f"{digits[:3]}-{digits[3:]}"
