from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import NotificationKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_foreign_key_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Poll',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.CharField(max_length=500)),
                ('area', fields.ForeignKeyField('models.Area', source_field='area_id', null=True, db_constraint=True, to_field='id', related_name='polls', on_delete=OnDelete.RESTRICT)),
                ('author', fields.ForeignKeyField('models.Account', source_field='author_id', db_constraint=True, to_field='id', related_name='polls', on_delete=OnDelete.CASCADE)),
                ('opens_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closes_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('results_before_close', fields.BooleanField(default=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('opening_notified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closing_announced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'poll', 'app': 'models', 'indexes': [Index(fields=['created_at', 'id'], name='poll_list_idx'), Index(fields=['area_id', 'created_at'], name='poll_area_idx'), Index(fields=['opening_notified_at', 'opens_at'], name='poll_opening_idx'), Index(fields=['closing_announced_at', 'closes_at'], name='poll_closing_idx')], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PollOption',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('poll', fields.ForeignKeyField('models.Poll', source_field='poll_id', db_constraint=True, to_field='id', related_name='options', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('label', fields.CharField(max_length=200)),
                ('votes', fields.IntField(default=0)),
            ],
            options={'table': 'poll_option', 'app': 'models', 'unique_together': (('poll', 'position'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PollVote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('poll', fields.ForeignKeyField('models.Poll', source_field='poll_id', db_constraint=True, to_field='id', related_name='votes', on_delete=OnDelete.CASCADE)),
                ('option', fields.ForeignKeyField('models.PollOption', source_field='option_id', db_constraint=True, to_field='id', related_name='ballots', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='poll_votes', on_delete=OnDelete.CASCADE)),
                ('village', fields.ForeignKeyField('models.Area', source_field='village_id', null=True, db_constraint=True, to_field='id', related_name='poll_votes', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'poll_vote', 'app': 'models', 'unique_together': (('poll', 'account'),), 'indexes': [Index(fields=['poll_id', 'village_id'], name='poll_vote_turnout_idx'), Index(fields=['option_id'], name='poll_vote_option_idx'), Index(fields=['account_id'], name='poll_vote_account_idx')], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTIONED: MENTIONED\nCOMMENTED: COMMENTED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNED: ASSIGNED\nPOLL_OPENED: POLL_OPENED', enum_type=NotificationKind, max_length=16),
        ),
        ops.AddField(
            model_name='Notification',
            name='poll',
            field=fields.ForeignKeyField('models.Poll', source_field='poll_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE),
        ),
        ops.AddIndex(
            model_name='Notification',
            index=Index(fields=['poll_id'], name='notification_poll_idx'),
        ),
    ]
