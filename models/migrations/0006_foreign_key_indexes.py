from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_open311')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Flag',
            index=Index(fields=['report_id'], name='flag_report_idx'),
        ),
        ops.AddIndex(
            model_name='FollowUp',
            index=Index(fields=['report_id'], name='follow_up_report_idx'),
        ),
        ops.AddIndex(
            model_name='IdempotencyKey',
            index=Index(fields=['report_id'], name='idempotency_report_idx'),
        ),
        ops.AddIndex(
            model_name='Mention',
            index=Index(fields=['report_id'], name='mention_report_idx'),
        ),
        ops.AddIndex(
            model_name='Mention',
            index=Index(fields=['comment_id'], name='mention_comment_idx'),
        ),
        ops.AddIndex(
            model_name='Notification',
            index=Index(fields=['report_id'], name='notification_report_idx'),
        ),
        ops.AddIndex(
            model_name='Photo',
            index=Index(fields=['report_id', 'position'], name='photo_report_idx'),
        ),
        ops.AddIndex(
            model_name='Photo',
            index=Index(fields=['follow_up_id'], name='photo_follow_up_idx'),
        ),
        ops.AddIndex(
            model_name='Photo',
            index=Index(fields=['event_id'], name='photo_event_idx'),
        ),
        ops.AddIndex(
            model_name='Session',
            index=Index(fields=['account_id'], name='session_account_idx'),
        ),
    ]
