"""The audit trail's hash chain, step 3: one event per sequence number of a case (no fork)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_caseevent_chain_existing")]

    operations = [
        migrations.AddConstraint(
            model_name="caseevent",
            constraint=models.UniqueConstraint(fields=("case", "seq"), name="caseevent_unique_seq"),
        ),
    ]
