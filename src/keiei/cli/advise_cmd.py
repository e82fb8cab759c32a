"""`keiei advise`: which programme fits, asked the pamphlet's way.

The questions, their order and which ones matter (`relevant`) are the core's
(`keiei.advisor`), so the web's interview asks exactly the same ones.

Answers come from flags; any answer not given is asked on the terminal, unless `--json` is
set or standard input is not a terminal, in which case the missing flags are named and the
command exits 2. A wrong answer at the prompt is asked again: nothing typed is lost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

from keiei.advisor import OPTIONAL_DEFAULT_NO, QUESTIONS, USED_BEFORE_CHOICES, Advice, Answers, advise, relevant
from keiei.cli.output import emit_json
from keiei.dates import parse_date, with_wareki
from keiei.errors import KeieiInputError
from keiei.money import format_yen

YES = {"y", "yes", "はい", "ある", "あり", "必要", "true", "1"}
NO = {"n", "no", "いいえ", "ない", "なし", "不要", "false", "0"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "advise",
        help="どの事業が使えるかを質問に答えて調べる",
        description="パンフレットの質問に答えると、該当する事業・理由・補助上限・金融機関の手続・準備書類・"
        "相談先の協議会を示します。指定しなかった質問は画面で尋ねます。",
    )
    for dest, flag, question in QUESTIONS:
        parser.add_argument(flag, dest=dest, metavar="{yes,no}", help=question)
    parser.add_argument(
        "--used-before",
        metavar="{" + ",".join(USED_BEFORE_CHOICES) + "}",
        help="これまでに利用した事業（なければ none）",
    )
    parser.add_argument("--postal-code", metavar="〒", help="本社の郵便番号（相談先の協議会を探します）")
    parser.add_argument("--date", help="基準日 YYYY-MM-DD（既定: 今日）")
    parser.add_argument("--json", action="store_true", help="JSON で出力する（質問はしない）")
    parser.set_defaults(handler=run)


def parse_yes_no(text: str, field: str) -> bool:
    norm = unicodedata.normalize("NFKC", text).strip().lower()
    if norm in YES:
        return True
    if norm in NO:
        return False
    raise KeieiInputError(
        field, f"yes か no（はい／いいえ）で答えてください（指定値: {text!r}）", f"expected yes or no, got {text!r}"
    )


def _ask(question: str, parse: Callable[[str], Any], read: Callable[[str], str]) -> Any:
    while True:
        try:
            raw = read(question)
        except EOFError:
            raise KeieiInputError(
                "入力", "入力が途中で終わりました", "input ended before all questions were answered"
            ) from None
        try:
            return parse(raw)
        except KeieiInputError as exc:
            print(f"  → {exc.message_ja}")


def _yes_no_for(flag: str, text: str) -> bool:
    return parse_yes_no(text, flag)


def collect_answers(args: argparse.Namespace, interactive: bool, read: Callable[[str], str] = input) -> Answers:
    values: dict[str, Any] = {}
    missing: list[str] = []
    for dest, flag, question in QUESTIONS:
        given = getattr(args, dest)
        if given is not None:
            values[dest] = parse_yes_no(given, flag)
        elif not relevant(dest, values):
            values[dest] = False
        elif interactive:
            values[dest] = _ask(f"{question}？ [はい/いいえ] ", functools.partial(_yes_no_for, flag), read)
        elif dest in OPTIONAL_DEFAULT_NO:
            values[dest] = False
        else:
            missing.append(flag)
    if args.used_before is not None:
        values["used_before"] = _parse_used_before(args.used_before)
    elif interactive:
        values["used_before"] = _ask("これまでに利用した事業は？ [none/early/405/405-gl] ", _parse_used_before, read)
    else:
        missing.append("--used-before")
    if args.postal_code is not None:
        values["postal_code"] = args.postal_code
    elif interactive:
        raw = _ask("本社の郵便番号は？（空欄で省略） ", lambda s: s.strip() or None, read)
        values["postal_code"] = raw
    if missing:
        raise KeieiInputError(
            "advise",
            f"次の質問への回答を指定してください: {' '.join(missing)}"
            f"（yes/no で指定。--used-before は {'/'.join(USED_BEFORE_CHOICES)}）",
            f"missing answers: {' '.join(missing)}",
        )
    return Answers(**values)


def _parse_used_before(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text).strip().lower()
    norm = {"なし": "none", "no": "none", "早期": "early"}.get(norm, norm)
    if norm not in USED_BEFORE_CHOICES:
        raise KeieiInputError(
            "--used-before",
            f"選べる値は {', '.join(USED_BEFORE_CHOICES)} です（指定値: {text!r}）",
            f"allowed: {', '.join(USED_BEFORE_CHOICES)}; got {text!r}",
        )
    return norm


def run(args: argparse.Namespace) -> int:
    on = parse_date(args.date) if args.date else dt.date.today()
    interactive = not args.json and sys.stdin.isatty()
    answers = collect_answers(args, interactive)
    advice = advise(answers, on)
    if args.json:
        emit_json(advice.as_dict())
    else:
        print_advice(advice)
    return 0


def print_advice(advice: Advice) -> None:
    print()
    if advice.program is None:
        print("■ 該当する事業: なし")
    else:
        print(f"■ 該当する事業: {advice.program_label}（{advice.program}）")
    print(f"  （{with_wareki(advice.as_of)} 時点の規則）")
    print("■ 理由")
    for reason in advice.reasons:
        print(f"  ・{reason}")
    if advice.cautions:
        print("■ 注意")
        for caution in advice.cautions:
            print(f"  ・{caution}")
    if advice.program is not None:
        print(f"■ 補助の上限（専門家費用の2/3）: {format_yen(advice.max_subsidy)}")
        for item in advice.subsidy_items:
            mark = "必須" if item["mandatory"] else "任意"
            print(f"  ・{item['label']}: 上限 {format_yen(item['cap'])}（{mark}）")
        print(f"■ 金融機関の手続: {advice.bank_step}")
        print("■ 計画書に必要な内容: " + "、".join(advice.plan_contents))
        print("■ 準備する書類")
        for doc in advice.documents:
            print(f"  ・{doc}")
    if advice.referrals:
        print("■ ご紹介できる相談先")
        for ref in advice.referrals:
            print(f"  ・{ref.name}: {ref.reason}")
    if advice.councils:
        print("■ 相談先の中小企業活性化協議会")
        for office in advice.councils:
            print(f"  ・{office['council']}（{office['operator']}）")
            print(f"    〒{office['postal_code']} {office['address']}　電話 {office['phone']}")
    elif advice.program is not None:
        print("■ 相談先: 郵便番号を指定すると最寄りの中小企業活性化協議会を表示します（keiei councils find）")
