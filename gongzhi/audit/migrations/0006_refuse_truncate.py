"""On PostgreSQL, refuse TRUNCATE on the audit log, and UPDATE, DELETE and TRUNCATE on the
table of the places each event touches (gongzhi/audit/sealing.py).

``gongzhi_refuse_truncate()`` and ``gongzhi_refuse_change()`` are generic: any app seals
its own append-only table with them in its own migration (depending on this one).
"""

from django.db import migrations

from gongzhi.audit.sealing import on_postgresql

CREATE = """
CREATE OR REPLACE FUNCTION gongzhi_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION gongzhi_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_truncate_sealed
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_truncate();
CREATE TRIGGER audit_auditeventplace_truncate_sealed
    BEFORE TRUNCATE ON audit_auditeventplace
    FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_truncate();
CREATE TRIGGER audit_auditeventplace_sealed
    BEFORE UPDATE OR DELETE ON audit_auditeventplace
    FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditeventplace_sealed ON audit_auditeventplace;
DROP TRIGGER IF EXISTS audit_auditeventplace_truncate_sealed ON audit_auditeventplace;
DROP TRIGGER IF EXISTS audit_auditevent_truncate_sealed ON audit_auditevent;
DROP FUNCTION IF EXISTS gongzhi_refuse_change();
DROP FUNCTION IF EXISTS gongzhi_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_event_places")]
    operations = [on_postgresql(CREATE, DROP)]
