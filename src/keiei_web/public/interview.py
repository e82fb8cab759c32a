"""The advisor's interview, one question a page, with every answer carried in the query string.

Why the query string and not the session or the database: the interview is read by people
with no account, often on a phone; carrying the answers in the URL (hidden fields of a GET
form) needs no session row per visitor, lets the browser's own back button work, and keeps
every answer when one goes back and changes an earlier one — an answer whose question stops
mattering is kept (shown again if it matters again) but does not count (`answers_from`).

The questions, their order and which ones matter are the core's (`keiei.advisor`), the same
ones `keiei advise` asks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from keiei.advisor import OPTIONAL_DEFAULT_NO, QUESTIONS, USED_BEFORE_CHOICES, USED_BEFORE_LABELS, relevant

USED_BEFORE = "used_before"
POSTAL_CODE = "postal_code"
#: Every step in order: the yes/no questions, then the previous use, then the postal code.
STEPS: tuple[str, ...] = (*tuple(dest for dest, _flag, _q in QUESTIONS), USED_BEFORE, POSTAL_CODE)
QUESTION_TEXT: dict[str, str] = {dest: q for dest, _flag, q in QUESTIONS} | {
    USED_BEFORE: "これまでに、次の事業を利用したことがありますか",
    POSTAL_CODE: "本社の郵便番号（相談先の協議会を探します。わからなければ空欄のまま進めます）",
}
#: A short label of each question for the summary of answers.
SHORT: dict[str, str] = {
    "has_borrowing": "借入金",
    "needs_rescheduling": "返済条件の変更など",
    "needs_forgiveness_or_gl": "債務減免・中小版GL",
    "has_main_bank": "メイン金融機関",
    "single_bank_unguaranteed_only": "1行の保証なし融資だけ",
    "wants_guarantee_release": "経営者保証の解除",
    "succession_concern": "事業承継の悩み",
    USED_BEFORE: "利用したことのある事業",
    POSTAL_CODE: "本社の郵便番号",
}
YES, NO = "yes", "no"
POSTAL_MAX = 20


@dataclass(frozen=True)
class State:
    """The answers read from a request: yes/no as bools, the others as text."""

    values: dict[str, Any]

    def query(self, *, without: str | None = None) -> list[tuple[str, str]]:
        """The answers as (name, value) pairs for hidden fields and links."""
        pairs: list[tuple[str, str]] = []
        for step in STEPS:
            if step == without or step not in self.values:
                continue
            value = self.values[step]
            pairs.append((step, (YES if value else NO) if isinstance(value, bool) else str(value)))
        return pairs

    def counted(self, step: str) -> bool:
        """Whether the step matters given the answers before it."""
        if step in (USED_BEFORE, POSTAL_CODE):
            return True
        before = {s: v for s, v in self.values.items() if STEPS.index(s) < STEPS.index(step)}
        kept: dict[str, Any] = {}
        for dest, _flag, _q in QUESTIONS:
            if dest == step:
                break
            kept[dest] = bool(before.get(dest)) if relevant(dest, kept) else False
        return relevant(step, kept)

    def next_after(self, step: str | None) -> str | None:
        start = 0 if step is None else STEPS.index(step) + 1
        for candidate in STEPS[start:]:
            if self.counted(candidate):
                return candidate
        return None

    def previous_before(self, step: str) -> str | None:
        for candidate in reversed(STEPS[: STEPS.index(step)]):
            if self.counted(candidate):
                return candidate
        return None

    def missing(self) -> str | None:
        """The first question that matters and has no answer (None: the interview is complete)."""
        for step in STEPS:
            if step in self.values or not self.counted(step):
                continue
            if step in OPTIONAL_DEFAULT_NO or step == POSTAL_CODE:
                continue
            return step
        return None

    def summary(self) -> list[tuple[str, str, str]]:
        """(step, short label, answer as read) of every answer that counts."""
        rows: list[tuple[str, str, str]] = []
        for step in STEPS:
            if step not in self.values or not self.counted(step):
                continue
            value = self.values[step]
            if isinstance(value, bool):
                text = "はい" if value else "いいえ"
            elif step == USED_BEFORE:
                text = USED_BEFORE_LABELS.get(str(value), str(value))
            else:
                text = str(value) or "（未入力）"
            rows.append((step, SHORT[step], text))
        return rows


def read(params: Mapping[str, str]) -> tuple[State, dict[str, str]]:
    """The answers in `params`, and a Japanese message for each value that cannot be read.

    A value that cannot be read is left out (the question is asked again with the message).
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for dest, _flag, _q in QUESTIONS:
        raw = params.get(dest)
        if raw is None or raw == "":
            continue
        if raw in (YES, NO):
            values[dest] = raw == YES
        else:
            errors[dest] = f"「{SHORT[dest]}」は「はい」か「いいえ」を選んでください。"
    raw = params.get(USED_BEFORE)
    if raw:
        if raw in USED_BEFORE_CHOICES:
            values[USED_BEFORE] = raw
        else:
            errors[USED_BEFORE] = f"「{SHORT[USED_BEFORE]}」は一覧から選んでください。"
    raw = params.get(POSTAL_CODE)
    if raw is not None:
        text = unicodedata.normalize("NFKC", raw).strip()
        if len(text) > POSTAL_MAX:
            errors[POSTAL_CODE] = f"「{SHORT[POSTAL_CODE]}」は{POSTAL_MAX}文字以内で入力してください。"
        else:
            values[POSTAL_CODE] = text
    return State(values), errors
