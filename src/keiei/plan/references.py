"""Renaming a bank in a plan file's data, with every place that names it.

Why a module: a bank is referred to by name (forgiveness, negotiated shares, the 中小版GL's
secured claims and guarantees), so renaming only `banks[].name` leaves references the loader
rejects ("金融機関 'X' は banks にありません"). The demo names the example's banks after the
demo's institutions, and tests rename them too; both go through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def rename_banks(data: dict[str, Any], names: Mapping[str, str]) -> None:
    """Rename banks in place (`names`: old → new) in `banks[].name` and every reference."""

    def new(name: Any) -> Any:
        return names.get(name, name) if isinstance(name, str) else name

    for bank in data.get("banks") or ():
        if isinstance(bank, dict):
            bank["name"] = new(bank.get("name"))
    support = data.get("financial_support")
    if isinstance(support, dict):
        for f in support.get("forgiveness") or ():
            if isinstance(f, dict) and "bank" in f:
                f["bank"] = new(f["bank"])
        r = support.get("rescheduling")
        if isinstance(r, dict) and isinstance(r.get("shares"), dict):
            r["shares"] = {new(k): v for k, v in r["shares"].items()}
    g = data.get("guideline")
    if isinstance(g, dict):
        lq = g.get("liquidation")
        if isinstance(lq, dict):
            for s in lq.get("secured") or ():
                if isinstance(s, dict) and "bank" in s:
                    s["bank"] = new(s["bank"])
        for gr in g.get("guarantors") or ():
            if isinstance(gr, dict):
                for x in gr.get("guarantees") or ():
                    if isinstance(x, dict) and "bank" in x:
                        x["bank"] = new(x["bank"])
