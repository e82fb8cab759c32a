"""What a case is waiting for, and from whom, in one line for whoever looks at it.

Why one function: every case page and every role's list shows the same line, so the rule
("in バンクミーティング the case waits on the banks that have not answered") lives once.
It reads only the case's state, its banks' statuses and its claims — no dates, no plan — and
names the party waited on; a bank is told about itself in its own address word (貴行・貴庫・
貴組合・貴公庫, `keiei.plan.glossary.institution_words`) and never which other bank is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from keiei.plan.glossary import institution_words
from keiei_web import access
from keiei_web.accounts.choices import Role
from keiei_web.cases.models import BankStatus, Case, ClaimStatus
from keiei_web.cases.workflow import State


@dataclass(frozen=True)
class Waiting:
    text: str  # 「さくら中央銀行の回答待ち」
    party: str  # the role waited on (Role value)
    mine: bool  # the viewer is the one waited on
    hint: str = ""  # for the viewer: what to do next, or that nothing is needed from it


def waiting_for(case: Case, user: Any) -> Waiting | None:
    """The one line for `user` looking at `case`; None once the case has ended."""
    role = access.role_of(user)
    state = case.state

    def line(text: str, party: str, mine_hint: str, other_hint: str = "") -> Waiting:
        mine = role == party
        hint = mine_hint if mine else (other_hint or "いまは対応は必要ありません。")
        return Waiting(text, party, mine, hint)

    if state == State.CONSULTATION:
        return Waiting(
            "事業者と認定支援機関の利用申請待ち",
            Role.ADVISER,
            role in (Role.ADVISER, Role.COMPANY),
            "利用申請をすると、協議会の受理に進みます。"
            if role in (Role.ADVISER, Role.COMPANY)
            else "いまは対応は必要ありません。",
        )
    if state == State.APPLIED:
        return line("協議会の受理待ち", Role.COUNCIL, "利用申請を確かめて受理するか差し戻してください。")
    if state == State.ACCEPTED:
        return line("認定支援機関の計画策定の開始待ち", Role.ADVISER, "計画策定を始めてください。")
    if state == State.DRAFTING:
        return line(
            "認定支援機関の計画策定（金融機関への提出）待ち", Role.ADVISER, "計画を作成し、金融機関に提出してください。"
        )
    if state == State.BANK_MEETING:
        return _bank_meeting(case, user, role)
    if state == State.AGREED:
        return line("認定支援機関の支払申請待ち", Role.ADVISER, "計画策定支援の支払申請をしてください。")
    if state == State.PAYMENT_CLAIM:
        return line("協議会の支払承認待ち", Role.COUNCIL, "支払申請を確かめて承認するか差し戻してください。")
    if state == State.MONITORING:
        if role != Role.BANK and case.claims.filter(status=ClaimStatus.SUBMITTED, kind="monitoring").exists():
            return line("協議会の伴走支援の支払承認待ち", Role.COUNCIL, "伴走支援の支払申請を確かめてください。")
        return line("認定支援機関の伴走支援（報告）待ち", Role.ADVISER, "期限までに伴走支援の報告をしてください。")
    return None


def _bank_meeting(case: Case, user: Any, role: str) -> Waiting:
    banks = list(case.banks.select_related("bank"))
    pending = [cb for cb in banks if cb.status == BankStatus.PENDING]
    declined = [cb for cb in banks if cb.status == BankStatus.DECLINED]
    if role == Role.BANK:
        own = next((cb for cb in banks if cb.bank_id == user.bank_id), None)
        _own_word, address = institution_words(None, own.bank.name if own else "")
        if own is not None and own.status == BankStatus.PENDING:
            return Waiting(f"{address}の回答待ち", Role.BANK, True, "提出された計画を読み、回答してください。")
        if pending:
            return Waiting("ほかの金融機関の回答待ち", Role.BANK, False, f"{address}の回答は済んでいます。")
        return Waiting("認定支援機関の対応待ち", Role.ADVISER, False, f"{address}の回答は済んでいます。")
    if pending:
        names = "・".join(cb.bank.name for cb in pending)
        return Waiting(
            f"{names}の回答待ち", Role.BANK, False, "金融機関の回答を待っています。いまは対応は必要ありません。"
        )
    if declined:
        names = "・".join(cb.bank.name for cb in declined)
        hint = "計画を修正して再提出してください。" if role == Role.ADVISER else "いまは対応は必要ありません。"
        return Waiting(
            f"認定支援機関の計画修正待ち（{names}が不同意・意見あり）", Role.ADVISER, role == Role.ADVISER, hint
        )
    return Waiting("認定支援機関の対応待ち", Role.ADVISER, role == Role.ADVISER, "")
