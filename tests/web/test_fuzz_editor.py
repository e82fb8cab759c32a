"""Fuzz: the plan editor's entries never give a traceback, refuse with Japanese, and a refusal
never changes the saved draft.

The entries: the import (`planfile.read_upload`), each step's post and the autosave
(`drafts.apply_step` → limits → save), the JSON editor (`PlanJsonForm`). Most examples drive
those functions directly (fast); some go through the view functions with RequestFactory (the
real save, the real refusals: statuses 200/302/400/409, the stored draft compared before and
after); a few through the test client (middleware, sessions, templates; it raises on any 500).

Inputs: tests/hostile.py. CI runs the counts below, derandomized; `KEIEI_FUZZ=long` runs
20 × as many new ones (tests/conftest.py).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from keiei.limits import LimitError, structure_problem
from keiei.plan import PlanInputError, parse_plan
from keiei_web.accounts.models import User
from keiei_web.cases.models import Case
from keiei_web.plans import drafts, formkit, planfile, steps, views
from keiei_web.plans.forms import PlanJsonForm
from keiei_web.plans.models import PlanDocument
from keiei_web.plans.versioning import canonical_json

from ..hostile import NASTY, fuzz_settings, is_japanese, json_like, mutated_text, nested
from .conftest import PASSWORD, PLAN_V1, World, new_case
from .formparse import form_fields

SLUGS = [s.slug for s in steps.STEPS]

#: What people and scripts type into an input.
JUNK = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(["", " ", "△1,200", "3%", "50％", "1e5", "-0.5", "2025/3", "令和7年3月", "true", "variable"]),
    st.text(max_size=20),
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
#: Names a step does not offer: far rows, unknown leaves, control fields.
NEW_NAMES = st.builds(
    lambda prefix, i, leaf: f"{prefix}[{i}].{leaf}",
    st.sampled_from(
        [
            "banks",
            "banks[0].loans",
            "banks[0].new_loans",
            "actuals",
            "drivers.sga",
            "drivers.capex",
            "drivers.sales.segments",
            "action_plan",
            "action_plan[0].effects",
            "cash.operating_in",
            "cash_table.months",
            "business_model.suppliers",
            "financial_support.forgiveness",
        ]
    ),
    st.sampled_from([0, 1, 7, 999, 10**9]),
    st.sampled_from(["name", "amount", "m[0]", "m[99]", "_delete", "_keep", "label", "v[3]", "kind", "_mode", "rate"]),
)
#: The hidden `<row>._keep` JSON, tampered with.
KEEP_JUNK = st.one_of(
    st.sampled_from(
        [
            "{",
            "[]",
            "null",
            "1",
            '{"a": NaN}',
            '{"a": 1e999}',
            '{"a": ' + "9" * 5000 + "}",
            '{"x": ' + nested(30) + "}",
            '{"x": ' + nested(900) + "}",
            nested(100_000),
            '{"name": "' + "あ" * 20_000 + '"}',
            '{"' + "k" * 20_000 + '": 1}',
        ]
    ),
    json_like(10).map(lambda v: json.dumps(v, default=str)),
)


@st.composite
def mutated_post(draw: st.DrawFn, bases: dict[str, dict[str, str]]) -> tuple[str, dict[str, str]]:
    """(step slug, post) — a step's real form with 1–6 hostile changes."""
    slug = draw(st.sampled_from(SLUGS))
    post = dict(bases[slug])
    names = sorted(post)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["value", "value", "value", "long", "drop", "add", "keep", "years"]))
        if kind == "value" and names:
            post[draw(st.sampled_from(names))] = draw(JUNK)
        elif kind == "long" and names:  # a pasted novel: over the schema's and the hard limit
            size = draw(st.sampled_from([101, 201, 4_001, 10_001, 200_000]))
            post[draw(st.sampled_from(names))] = draw(st.sampled_from(["あ", "9", "x\n"])) * size
        elif kind == "drop" and names:
            post.pop(draw(st.sampled_from(names)), None)
        elif kind == "add":
            post[draw(NEW_NAMES)] = draw(JUNK)
        elif kind == "keep":
            keeps = [n for n in names if n.endswith("._keep")] or ["banks[0]._keep"]
            post[draw(st.sampled_from(keeps))] = draw(KEEP_JUNK)
        else:
            post["drivers.years"] = draw(JUNK)
    return slug, post


@st.composite
def json_editor_text(draw: st.DrawFn) -> str:
    """What could be pasted into the JSON editor: a mutated plan file, or any JSON-ish text."""
    choice = draw(st.integers(0, 2))
    if choice == 0:
        _suffix, raw = draw(mutated_text())
        return raw.decode("utf-8", "replace")
    if choice == 1:
        return json.dumps(draw(json_like()), ensure_ascii=False, default=str)
    return json.dumps({"program": "405", "company": draw(json_like(10))}, ensure_ascii=False, default=str)


def _stored(case: Case) -> str:
    return canonical_json(PlanDocument.objects.get(case=case).data)


@dataclass
class Editor:
    case: Case
    user: User
    client: Client
    data: dict[str, Any]
    bases: dict[str, dict[str, str]]


@pytest.fixture
def editor(world: World) -> Editor:
    """A 405 case with the example plan as its draft, the adviser, and each step's real form."""
    case = new_case(world, "405")
    user = world.user("adviser_a")
    drafts.import_draft(case, user, copy.deepcopy(PLAN_V1), "plan.yaml")
    client = Client()
    assert client.login(username="adviser_a", password=PASSWORD)
    bases = {
        slug: form_fields(client.get(reverse("plans:editor_step", args=[case.pk, slug])).content.decode())
        for slug in SLUGS
    }
    return Editor(case, user, client, copy.deepcopy(PLAN_V1), bases)


# --------------------------------------------------------------------------- the functions


@fuzz_settings(800)
@given(mutated_text())
def test_import_of_malformed_files_is_a_plan_or_japanese_problems(file: tuple[str, bytes]) -> None:
    suffix, raw = file
    try:
        data = planfile.read_upload(f"plan{suffix}", raw)
    except planfile.ImportRefused as exc:
        assert exc.problems and all(is_japanese(p.message) for p in exc.problems)
        return
    assert structure_problem(data) is None
    canonical_json(data)  # storable as it is
    parse_plan(data)  # what was imported is a plan


@fuzz_settings(2_000)
@given(json_editor_text())
def test_the_json_editor_form_accepts_only_storable_objects_within_the_limits(text: str) -> None:
    form = PlanJsonForm({"data": text, "revision": "0"})
    if not form.is_valid():
        assert all(is_japanese(str(e)) for e in form.errors["data"])
        return
    data = form.cleaned_data["data"]
    assert isinstance(data, dict) and structure_problem(data) is None
    canonical_json(data)


INPUT_KINDS = sorted(formkit.PARSERS)


@fuzz_settings(2_000)
@given(st.sampled_from(INPUT_KINDS), st.one_of(JUNK, st.sampled_from(NASTY).map(lambda t: t * 3)))
def test_every_input_kind_reads_any_text_as_a_storable_value(kind: str, text: str) -> None:
    """What a step stores for one input: a JSON value — a number only when keiei can hold it,
    else the text as typed (the schema names it); never NaN, infinity or an exception."""
    value = formkit.parse(kind, text)
    problem = structure_problem([value])
    if problem is None:
        canonical_json(value)
    else:  # only a pasted text past the length limit, which the step then refuses
        assert "長すぎます" in problem.message_ja


@fuzz_settings(500)
@given(KEEP_JUNK)
def test_a_tampered_keep_field_is_kept_or_refused_never_a_traceback(text: str) -> None:
    try:
        kept = formkit.keep_of({"banks[0]._keep": text}, "banks[0]")
    except LimitError as exc:
        assert exc.field.startswith("banks[0]._keep") and is_japanese(exc.message_ja)
        return
    assert isinstance(kept, dict) and structure_problem(kept) is None


def test_step_posts_read_store_and_show_or_refuse_in_japanese(editor: Editor) -> None:
    @fuzz_settings(500)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        slug, post = data.draw(mutated_post(editor.bases))
        step = steps.BY_SLUG[slug]
        try:
            new, _reader = drafts.apply_step(editor.case, editor.data, step, post)
        except LimitError as exc:  # a tampered hidden field
            assert is_japanese(exc.message_ja)
            return
        problem = drafts.limit_problem(new, step)
        if problem is not None:
            assert is_japanese(problem.message_ja)
            return
        canonical_json(new)  # what save_draft stores and hashes
        try:
            parse_plan(new)  # what the panel judges
        except PlanInputError as exc:
            assert all(is_japanese(message) for _path, message in exc.problems)
        steps.build(step, new)  # what the page shows

    run()


# --------------------------------------------------------------------------- the views


def _request(editor: Editor, path: str, data: dict[str, str], autosave: bool = False) -> Any:
    headers = {"X-Keiei-Autosave": "1"} if autosave else {}
    request = RequestFactory().post(path, data, headers=headers)
    request.user = editor.user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _check(response: HttpResponse, before: str, case: Case, *, autosave: bool) -> None:
    assert response.status_code in (200, 302, 400, 409), response.status_code
    body = response.content.decode()
    if response.status_code in (400, 409):
        assert _stored(case) == before  # a refusal changes nothing
        assert is_japanese(json.loads(body)["message"] if autosave else body)
    elif autosave:
        assert json.loads(body)["ok"] is True


def test_editor_views_answer_every_post_without_a_traceback(editor: Editor) -> None:
    case = editor.case

    @fuzz_settings(500)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        before = _stored(case)
        action = data.draw(st.sampled_from(["step", "autosave", "json"]))
        if action == "json":
            text = data.draw(json_editor_text())
            path = reverse("plans:edit_json", args=[case.pk])
            response = views.edit_json(_request(editor, path, {"data": text}), case_id=case.pk)
            assert response.status_code in (200, 302)
            if response.status_code == 200:
                assert _stored(case) == before
            return
        slug, post = data.draw(mutated_post(editor.bases))
        path = reverse("plans:editor_step", args=[case.pk, slug])
        autosave = action == "autosave"
        response = views.editor_step(_request(editor, path, post, autosave), case_id=case.pk, step=slug)
        _check(response, before, case, autosave=autosave)
        stored = PlanDocument.objects.get(case=case).data
        assert structure_problem(stored) is None  # nothing beyond the limits was saved

    run()


def test_editor_through_the_client(editor: Editor) -> None:
    """The same through the whole stack: middleware, sessions, templates (a 500 raises)."""
    case, client = editor.case, editor.client

    @fuzz_settings(60)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        before = _stored(case)
        action = data.draw(st.sampled_from(["step", "autosave", "json", "import"]))
        if action == "json":
            response = client.post(reverse("plans:edit_json", args=[case.pk]), {"data": data.draw(json_editor_text())})
            assert response.status_code in (200, 302)
            if response.status_code == 200:
                assert _stored(case) == before
        elif action == "import":
            suffix, raw = data.draw(mutated_text())
            upload = SimpleUploadedFile(f"plan{suffix}", raw)
            response = client.post(reverse("plans:import", args=[case.pk]), {"file": upload})
            assert response.status_code in (200, 302, 400)
            if response.status_code != 302:
                assert _stored(case) == before
        else:
            slug, post = data.draw(mutated_post(editor.bases))
            autosave = action == "autosave"
            headers = {"X-Keiei-Autosave": "1"} if autosave else {}
            response = client.post(reverse("plans:editor_step", args=[case.pk, slug]), post, headers=headers)
            _check(response, before, case, autosave=autosave)
        page = client.get(reverse("plans:editor_step", args=[case.pk, "company"]))
        assert page.status_code == 200  # the stored draft still shows

    run()
