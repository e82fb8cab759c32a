"""The audit trail's hash chain, step 2: chain the events recorded before the chain existed.

Per case, in the order they were recorded (id), exactly as CaseEvent.save chains a new event:
seq 1, 2, 3…, prev_hash = the previous event's hash (the first: keiei.auditchain.GENESIS), hash
= keiei.auditchain.link_hash of the event's fields (keiei_web.cases.auditchain.chain_fields).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def chain_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from keiei.auditchain import GENESIS, link_hash
    from keiei_web.cases.auditchain import chain_fields

    CaseEvent = apps.get_model("cases", "CaseEvent")
    db = schema_editor.connection.alias
    events = CaseEvent.objects.using(db)
    case_ids = events.order_by("case_id").values_list("case_id", flat=True).distinct()
    for case_id in list(case_ids):
        previous = GENESIS
        for seq, event in enumerate(events.filter(case_id=case_id).order_by("id"), start=1):
            event.seq, event.prev_hash = seq, previous
            event.hash = link_hash(chain_fields(event), previous)
            events.filter(pk=event.pk).update(seq=event.seq, prev_hash=event.prev_hash, hash=event.hash)
            previous = event.hash


def unchain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Going back: 0003's removal of the fields drops the chain; nothing to undo here."""


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_caseevent_chain_fields")]

    operations = [migrations.RunPython(chain_existing, unchain)]
