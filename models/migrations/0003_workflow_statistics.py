from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_full_text_search')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Report',
            name='first_follow_up_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Report',
            name='first_response_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Report',
            name='last_follow_up_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Report',
            name='reopen_count',
            field=fields.IntField(default=0),
        ),
        ops.AddIndex(
            model_name='Report',
            index=Index(fields=['status', 'last_follow_up_at'], name='report_autoclose_idx'),
        ),
    ]
