"""The public pages: no login, server-rendered, no script needed.

Each page is a thin reading of the core, the same functions the CLI calls: `keiei.advisor`
(`keiei advise`), `keiei.subsidy` (`keiei subsidy`), `keiei.councils` (`keiei councils find`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keiei.advisor import USED_BEFORE_CHOICES, USED_BEFORE_LABELS, Advice, advise, answers_from
from keiei.councils import Office, find, prefectures
from keiei.errors import KeieiInputError
from keiei.rules import PROGRAM_LABELS, PROGRAMS, rules_for
from keiei.subsidy import SubsidyResult, compute_subsidy
from keiei_web import clock
from keiei_web.accounts.models import Council
from keiei_web.public import interview
from keiei_web.public.forms import ConsultationForm, parse_fee
from keiei_web.public.models import Consultation

#: Requests one address may send in an hour (counted in the database, so every server process
#: sees the same count): a person sends one; a script is stopped after a few.
CONSULTATIONS_PER_HOUR = 5
RECEIPT_SESSION_KEY = "keiei_public_receipt"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")


# --- the interview ---------------------------------------------------------------------------


def advise_view(request: HttpRequest) -> HttpResponse:
    """One question a page; the answers travel in the query string (see interview.py)."""
    state, errors = interview.read(request.GET)
    at = request.GET.get("at")
    shown = request.GET.get("q")
    if at in interview.STEPS:
        if at not in state.values and at not in errors and at != interview.POSTAL_CODE:
            errors[at] = f"「{interview.SHORT[at]}」に答えてください。"
        if at in errors:
            return _question(request, state, at, errors[at])
        nxt = state.next_after(at)
        return _question(request, state, nxt) if nxt else _result(request, state)
    if shown in interview.STEPS:
        return _question(request, state, shown, errors.get(shown))
    if not request.GET:
        return _question(request, state, interview.STEPS[0])
    for step in interview.STEPS:
        if step in errors:
            return _question(request, state, step, errors[step])
    missing = state.missing()
    return _question(request, state, missing) if missing else _result(request, state)


def _question(request: HttpRequest, state: interview.State, step: str, error: str | None = None) -> HttpResponse:
    steps = [s for s in interview.STEPS if state.counted(s)]
    previous = state.previous_before(step)
    current = state.values.get(step)
    if step == interview.USED_BEFORE:
        choices = [(c, USED_BEFORE_LABELS[c]) for c in USED_BEFORE_CHOICES]
        current_value = str(current or "")
    elif step == interview.POSTAL_CODE:
        choices = []
        current_value = str(current or "")
    else:
        choices = [(interview.YES, "はい"), (interview.NO, "いいえ")]
        current_value = "" if current is None else (interview.YES if current else interview.NO)
    ctx = {
        "step": step,
        "question": interview.QUESTION_TEXT[step],
        "short": interview.SHORT[step],
        "number": steps.index(step) + 1 if step in steps else 1,
        "total": len(steps),
        "choices": choices,
        "current": current_value,
        "hidden": state.query(without=step),
        "previous_query": _query([*state.query(), ("q", previous)]) if previous else "",
        "error": error,
    }
    return render(request, "public/question.html", ctx, status=400 if error else 200)


def _query(pairs: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    return urlencode(pairs)


def _result(request: HttpRequest, state: interview.State) -> HttpResponse:
    try:
        advice = decide(state.values, clock.today())
    except KeieiInputError as exc:
        return _question(
            request, state, interview.POSTAL_CODE, f"「{interview.SHORT[interview.POSTAL_CODE]}」: {exc.message_ja}"
        )
    answers = state.query()
    consult = [("program", advice.program or "")] + [(k, v) for k, v in answers if k == interview.POSTAL_CODE]
    ctx = {
        "advice": advice,
        "summary": [(step, label, text, _query([*answers, ("q", step)])) for step, label, text in state.summary()],
        "consult_query": _query(consult),
        "subsidy_query": _query([("program", advice.program or "")]),
    }
    return render(request, "public/advice.html", ctx)


def decide(values: dict[str, Any], on: dt.date) -> Advice:
    """The web's decision: the core's `advise` on the answers that count (as `keiei advise`)."""
    return advise(answers_from(values), on)


# --- the subsidy calculator ------------------------------------------------------------------


def subsidy_view(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    program = request.GET.get("program", "")
    ctx: dict[str, Any] = {"programs": [(p, PROGRAM_LABELS[p]) for p in PROGRAMS], "program": program, "today": today}
    if program not in PROGRAMS:
        ctx["program"] = ""
        return render(request, "public/subsidy.html", ctx)
    rules = rules_for(program, today)
    rows: list[dict[str, Any]] = []
    fees: dict[str, int] = {}
    errors = 0
    for item in rules.items.values():
        raw = request.GET.get(item.key, "")[:40]
        row: dict[str, Any] = {"item": item, "raw": raw, "error": None}
        try:
            value = parse_fee(raw, item.label)
        except ValidationError as exc:  # its message names the field
            row["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
            errors += 1
        else:
            if value is not None:
                fees[item.key] = value
        rows.append(row)
    result: SubsidyResult | None = None
    problem = ""
    if fees and not errors:
        try:
            result = compute_subsidy(program, fees, today)
        except KeieiInputError as exc:
            problem = exc.message_ja
    ctx |= {"rules": rules, "rows": rows, "result": result, "problem": problem}
    return render(request, "public/subsidy.html", ctx, status=400 if errors or problem else 200)


# --- the council directory -------------------------------------------------------------------


def councils_view(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or request.GET.get("prefecture") or "").strip()[:40]
    offices: list[Office] = []
    error = ""
    if query:
        try:
            offices = find(query)
        except KeieiInputError as exc:
            error = f"「郵便番号または都道府県」: {exc.message_ja}"
    ctx = {"query": query, "offices": offices, "error": error, "prefectures": prefectures()}
    return render(request, "public/councils.html", ctx, status=400 if error else 200)


# --- the consultation request ----------------------------------------------------------------


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address (the address itself is never stored)."""
    if getattr(settings, "KEIEI_BEHIND_PROXY", False):
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
    else:
        address = ""
    address = address or str(request.META.get("REMOTE_ADDR", ""))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@require_http_methods(["GET", "POST"])
def consult_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial: dict[str, Any] = {}
        program = request.GET.get("program", "")
        if program in PROGRAMS:
            initial["program"] = program
        postal = request.GET.get("postal_code", "")[:10]
        if postal:
            initial["postal_code"] = postal
            with contextlib.suppress(KeieiInputError, IndexError):
                initial["prefecture"] = find(postal)[0].prefecture
        return render(request, "public/consult.html", {"form": ConsultationForm(initial=initial)})
    form = ConsultationForm(request.POST)
    if request.POST.get("website"):
        return _refused(request, form, _("送信できませんでした。入力内容を確かめて、もう一度送信してください。"), 400)
    if not form.is_valid():
        return render(request, "public/consult.html", {"form": form}, status=400)
    who = client_hash(request)
    since = clock.now() - dt.timedelta(hours=1)
    if Consultation.objects.filter(client_hash=who, created_at__gte=since).count() >= CONSULTATIONS_PER_HOUR:
        return _refused(
            request,
            form,
            _("短い時間に多くの申込みがありました。1時間ほどおいてから送信するか、協議会にお電話ください。"),
            429,
        )
    data = form.cleaned_data
    council = Council.objects.filter(prefecture=data["prefecture"]).first()
    if council is None:
        offices = find(data["prefecture"])
        phones = "、".join(f"{o.council} {o.phone}" for o in offices)
        return _refused(
            request,
            form,
            _("%(pref)sの協議会はこの受付をまだ使っていません。お電話でご相談ください: %(phones)s")
            % {"pref": data["prefecture"], "phones": phones},
            409,
        )
    consultation = Consultation.objects.create(
        council=council,
        company_name=data["company_name"],
        contact_name=data["contact_name"],
        prefecture=data["prefecture"],
        postal_code=data["postal_code"],
        phone=data["phone"],
        email=data["email"],
        program=data["program"],
        message=data["message"],
        client_hash=who,
    )
    request.session[RECEIPT_SESSION_KEY] = consultation.receipt
    return redirect("public:received")


def _refused(request: HttpRequest, form: ConsultationForm, message: str, status: int) -> HttpResponse:
    return render(request, "public/consult.html", {"form": form, "refusal": message}, status=status)


def received(request: HttpRequest) -> HttpResponse:
    """The receipt, shown once to the browser that sent the request (never by number in the URL)."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    consultation = Consultation.objects.select_related("council").filter(receipt=receipt).first() if receipt else None
    if consultation is None:
        return redirect("public:consult")
    return render(request, "public/received.html", {"c": consultation})
