"""The audit trail's hash chain, step 1: the fields (filled by 0004, constrained by 0005).

The case and the actor of an event become PROTECT: a case with an audit trail, or a user who
acted on a case, can no longer be deleted (deleting them would remove events or change them).
Three migrations, so that on PostgreSQL the rows are updated in a transaction of their own
before the unique constraint is added.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="seq",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="番号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="前の記録のハッシュ"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="ハッシュ（SHA-256）"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作者",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="cases.case",
                verbose_name="案件",
            ),
        ),
    ]
