"""A person's name and the remark written after it, as two fields.

Files written before `representative_note` existed put a remark about the representative in
brackets after the name — 「代表取締役 藤野 正（計画成立時に退任予定。後任 専務取締役 藤野 大輔）」.
Printed as the name, the remark lands on the cover, after 殿 on a 同意書 and before 印, which a
bank sends back. A name never ends in a bracketed clause on a form, so a trailing 「（…）」
is read as the remark: old files keep loading and print right, and a file that gives the remark
in its own field is taken as written (no split). Only full-width brackets, the Japanese
convention for such a remark: half-width "(...)" ends ASCII text that is no remark (a
romanised name's reading, or a formula a hostile file hopes a spreadsheet will run).
"""

from __future__ import annotations

_OPEN, _CLOSE = "（", "）"


def split_name_remark(text: str | None) -> tuple[str | None, str | None]:
    """`(name, remark)`: a trailing bracketed clause split off, brackets dropped.

    Only a clause that closes the text and whose brackets balance is split, and only when a
    name remains before it; anything else is returned whole as the name.
    """
    if text is None:
        return None, None
    stripped = text.strip()
    if not stripped or stripped[-1] != _CLOSE:
        return text, None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch == _CLOSE:
            depth += 1
        elif ch == _OPEN:
            depth -= 1
            if depth == 0:
                name, remark = stripped[:i].rstrip(), stripped[i + 1 : -1].strip()
                if not name or not remark:
                    return text, None
                return name, remark
    return text, None


def name_and_remark(name: str | None, remark: str | None) -> tuple[str | None, str | None]:
    """The name and remark of a person given by a file: the remark field when there is one,
    else the bracketed clause after the name (older files)."""
    if remark:
        return name, remark
    return split_name_remark(name)
