"""PostgreSQL only: ``demands_inbox_page`` (migration 0004) reads the person's current
memberships with the one meaning of "holds this post on a day" (bodies.models
``membership_current_q``): the term has begun and not ended, and the body is not
dissolved on that day. 0004 read "not dissolved" as ``dissolved_on IS NULL``; a body
dissolved on a later day still exists until then, so the function now compares
``dissolved_on`` with the day it is given. Everything else is 0004's function.
"""

import importlib

from django.db import migrations

M0004 = importlib.import_module("gongzhi.demands.migrations.0004_inbox_page_function")

INBOX_STATES = M0004.INBOX_STATES
OLD_CONDITION = "AND b.dissolved_on IS NULL"
NEW_CONDITION = "AND (b.dissolved_on IS NULL OR b.dissolved_on > p_today)"
assert M0004.FUNCTION.count(OLD_CONDITION) == 1
FUNCTION = M0004.FUNCTION.replace(OLD_CONDITION, NEW_CONDITION)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # the SQL holds a literal %


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(M0004.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("demands", "0004_inbox_page_function")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
