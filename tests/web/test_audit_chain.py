"""The audit trail's hash chain in the database: chained when recorded, verified by
`keiei audit verify`, and tampering through raw SQL (which bypasses every ORM guard) is found."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from keiei.auditchain import GENESIS, link_hash
from keiei.cli import main
from keiei_web.cases import services
from keiei_web.cases.auditchain import chain_fields, verify
from keiei_web.cases.models import Case, CaseEvent
from keiei_web.cases.models.audit import ImmutableError

from .conftest import World, new_case

TABLE = CaseEvent._meta.db_table


def raw(sql: str, *params: Any) -> None:
    """Write the table directly, as someone with database access could (no ORM guard runs)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{t}", connection.ops.quote_name(TABLE)), params)


def events(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).order_by("seq"))


def test_every_event_is_chained_from_genesis(world: World, rich_case: Case) -> None:
    trail = events(rich_case)
    assert len(trail) > 10
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    previous = GENESIS
    for event in trail:
        assert event.prev_hash == previous
        assert event.hash == link_hash(chain_fields(event), previous)
        previous = event.hash
    other = new_case(world, "early", company="b")
    first = events(other)[0]
    assert (first.seq, first.prev_hash) == (1, GENESIS)  # one chain per case
    report = verify()
    assert report.intact and report.cases == 2 and report.events == len(trail) + 1
    assert report.heads[rich_case.reference] == {"case_id": rich_case.pk, "seq": trail[-1].seq, "hash": previous}


def test_the_hash_is_what_the_database_gives_back(world: World) -> None:
    """Values that JSON changes (a tuple, an int key) and a naive time are normalised before hashing."""
    case = new_case(world, "405")
    event = services.record(
        case, world.user("adviser_a"), "note", "メモ", before={1: ("a", 2)}, after={"yen": 1_234_567_890_123}
    )
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash == link_hash(chain_fields(stored), stored.prev_hash)
    assert verify([case.pk]).intact


def test_the_cli_reports_an_intact_trail(world: World, rich_case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "改ざん・欠落はありません" in out and "案件 1件" in out
    assert main(["audit", "verify", "--json", "--case", rich_case.reference]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intact"] is True and data["problems"] == [] and rich_case.reference in data["heads"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("summary", "何もしていません。"),
        ("action", "approve_claim"),
        ("actor_name", "別人"),
        ("to_state", "completed"),
        ("after", '{"state": "completed"}'),
        ("at", "2020-01-01 00:00:00"),
    ],
)
def test_a_row_changed_by_raw_sql_is_found(
    world: World, rich_case: Case, capsys: pytest.CaptureFixture[str], column: str, value: str
) -> None:
    target = events(rich_case)[4]
    raw(f"UPDATE {{t}} SET {connection.ops.quote_name(column)} = %s WHERE id = %s", value, target.pk)
    report = verify()
    assert [(p.kind, p.event_id, p.seq) for p in report.problems] == [("content", target.pk, 5)]
    assert main(["audit", "verify"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"改ざんの疑い: 案件 {rich_case.reference} の操作履歴 #{target.pk}（第5件）: 内容が")
    assert len(lines) == 2  # one line per problem, then the summary
    assert main(["audit", "verify", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["intact"] is False and data["problems"][0]["event_id"] == target.pk


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(world: World, rich_case: Case) -> None:
    target = events(rich_case)[2]
    forged = chain_fields(target) | {"summary": "書き換え"}
    raw(
        "UPDATE {t} SET summary = %s, hash = %s WHERE id = %s",
        "書き換え",
        link_hash(forged, target.prev_hash),
        target.pk,
    )
    (problem,) = verify().problems
    assert (problem.kind, problem.seq) == ("link", 4)


def test_a_row_deleted_in_the_middle_is_found(
    world: World, rich_case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = events(rich_case)
    raw("DELETE FROM {t} WHERE id = %s", trail[5].pk)
    (problem,) = verify().problems
    assert (problem.kind, problem.event_id, problem.expected) == ("missing", trail[6].pk, "6")
    assert main(["audit", "verify"]) == 1
    assert "第6件がありません（削除された可能性があります）" in capsys.readouterr().out


def test_a_case_whose_whole_trail_was_deleted_is_found(world: World) -> None:
    case = new_case(world, "405")
    raw("DELETE FROM {t} WHERE case_id = %s", case.pk)
    (problem,) = verify().problems
    assert (problem.kind, problem.case_id) == ("empty", case.pk)


def test_the_orm_refuses_every_way_around_the_chain(world: World) -> None:
    case = new_case(world, "405")
    event = events(case)[0]
    with pytest.raises(ImmutableError):
        CaseEvent.objects.bulk_create([CaseEvent(case=case, action="x", summary="x")])
    with pytest.raises(ImmutableError):
        CaseEvent.objects.bulk_update([event], ["summary"])
    with pytest.raises(ImmutableError):
        CaseEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(models.ProtectedError), transaction.atomic():
        Case.objects.filter(pk=case.pk).delete()  # the trail would go with the case
    with pytest.raises(models.ProtectedError), transaction.atomic():
        world.user("adviser_a").delete()  # the actor of recorded events: deactivate instead
    assert verify().intact


def test_the_database_refuses_a_fork(world: World) -> None:
    """Two events after the same predecessor (what a missing lock would produce) cannot both be stored."""
    case = new_case(world, "405")
    first = events(case)[0]
    fork = CaseEvent(case=case, seq=1, prev_hash=GENESIS, hash="f" * 64, action="x", summary="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Model.save(fork)  # the plain save: no chaining, no lock
    assert events(case) == [first]


def test_recording_locks_the_case_first(world: World) -> None:
    """The case's row is locked before the chain's head is read: FOR UPDATE on PostgreSQL, on SQLite
    an UPDATE that takes the database's write lock."""
    case = new_case(world, "405")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        services.record(case, world.user("adviser_a"), "note", "メモ")
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, s in enumerate(sql) if "cases_case" in s and ("FOR UPDATE" in s or s.startswith("UPDATE")))
    head = next(i for i, s in enumerate(sql) if s.startswith("SELECT") and TABLE in s)
    assert lock < head
    expected = "FOR UPDATE" if connection.features.has_select_for_update else "UPDATE"
    assert expected in sql[lock]


@pytest.mark.django_db(transaction=True)
def test_concurrent_events_do_not_fork_the_chain(world: World) -> None:
    """Threads recording on one case at the same moment: every event lands in one chain."""
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite shares one database badly between threads; runs on PostgreSQL")
    case = new_case(world, "405")
    user = world.user("adviser_a")
    start, errors = threading.Barrier(4), []

    def work() -> None:
        from django.db import connection as conn

        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    services.record(case, user, "note", f"メモ {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [e.seq for e in events(case)] == list(range(1, 22))
    assert verify([case.pk]).intact


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_recorded_before_it() -> None:
    executor = MigrationExecutor(connection)
    before, after = [("cases", "0002_initial")], [("cases", "0005_caseevent_unique_seq")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    council = old.get_model("accounts", "Council").objects.create(prefecture="大阪府", name="協議会")
    firm = old.get_model("accounts", "AdviserFirm").objects.create(name="A")
    company = old.get_model("accounts", "Company").objects.create(name="C", prefecture="大阪府")
    OldCase, OldEvent = old.get_model("cases", "Case"), old.get_model("cases", "CaseEvent")
    cases = [
        OldCase.objects.create(
            company=company, adviser_firm=firm, council=council, program="405", consulted_on="2025-04-01"
        )
        for _ in range(2)
    ]
    for i in range(5):
        for case in cases:
            OldEvent.objects.create(case=case, action=f"a{i}", summary=f"記録 {i}", after={"i": i})
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    report = verify()
    assert report.intact and report.cases == 2 and report.events == 10
    for case in cases:
        assert list(CaseEvent.objects.filter(case_id=case.pk).order_by("id").values_list("seq", flat=True)) == [
            1,
            2,
            3,
            4,
            5,
        ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema for the tests after this one
    services.record(Case.objects.get(pk=cases[0].pk), None, "note", "移行後の記録")
    assert verify().intact and CaseEvent.objects.filter(case_id=cases[0].pk).order_by("-seq")[0].seq == 6
