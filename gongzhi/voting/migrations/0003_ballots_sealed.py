"""On PostgreSQL, seal the ballots once the vote is closed (docs/voting.md, "选票的封存").

While an assembly is open a ballot may still change (改票) and a pending paper sheet may be
sent back; from ``closed`` on, the ballot list is hashed and published, so no ballot or
approval of that assembly may be added, changed or removed, whoever asks. TRUNCATE is
refused always. The model layer's services refuse the same; this is the table's own word.
"""

from django.db import migrations

from gongzhi.audit.sealing import on_postgresql

CREATE = """
CREATE OR REPLACE FUNCTION voting_question_sealed(v_question bigint) RETURNS boolean AS $$
    SELECT EXISTS (
        SELECT 1 FROM voting_question q JOIN voting_assembly a ON a.id = q.assembly_id
        WHERE q.id = v_question AND a.state IN ('closed', 'result_published')
    );
$$ LANGUAGE sql STABLE;
CREATE OR REPLACE FUNCTION voting_ballot_sealed() RETURNS trigger AS $$
DECLARE
    v_old bigint;
    v_new bigint;
BEGIN
    IF TG_TABLE_NAME = 'voting_ballotapproval' THEN
        IF TG_OP <> 'INSERT' THEN
            SELECT b.question_id INTO v_old FROM voting_ballot b WHERE b.id = OLD.ballot_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            SELECT b.question_id INTO v_new FROM voting_ballot b WHERE b.id = NEW.ballot_id;
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN v_old := OLD.question_id; END IF;
        IF TG_OP <> 'DELETE' THEN v_new := NEW.question_id; END IF;
    END IF;
    IF voting_question_sealed(v_old) OR voting_question_sealed(v_new) THEN
        RAISE EXCEPTION '% is sealed once the vote closed: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER voting_ballot_sealed
    BEFORE INSERT OR UPDATE OR DELETE ON voting_ballot
    FOR EACH ROW EXECUTE FUNCTION voting_ballot_sealed();
CREATE TRIGGER voting_ballotapproval_sealed
    BEFORE INSERT OR UPDATE OR DELETE ON voting_ballotapproval
    FOR EACH ROW EXECUTE FUNCTION voting_ballot_sealed();
CREATE TRIGGER voting_ballot_truncate_sealed
    BEFORE TRUNCATE ON voting_ballot
    FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_truncate();
CREATE TRIGGER voting_ballotapproval_truncate_sealed
    BEFORE TRUNCATE ON voting_ballotapproval
    FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS voting_ballotapproval_truncate_sealed ON voting_ballotapproval;
DROP TRIGGER IF EXISTS voting_ballot_truncate_sealed ON voting_ballot;
DROP TRIGGER IF EXISTS voting_ballotapproval_sealed ON voting_ballotapproval;
DROP TRIGGER IF EXISTS voting_ballot_sealed ON voting_ballot;
DROP FUNCTION IF EXISTS voting_ballot_sealed();
DROP FUNCTION IF EXISTS voting_question_sealed(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("voting", "0002_proxy_review"), ("audit", "0006_refuse_truncate")]
    operations = [on_postgresql(CREATE, DROP)]
