"""The audit trail is append-only, enforced by PostgreSQL: UPDATE and DELETE raise an error."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION citedesmetiers_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER citedesmetiers_auditentry_append_only
    BEFORE UPDATE OR DELETE ON citedesmetiers_auditentry
    FOR EACH ROW EXECUTE FUNCTION citedesmetiers_auditentry_append_only();
"""

BACKWARD = """
DROP TRIGGER citedesmetiers_auditentry_append_only ON citedesmetiers_auditentry;
DROP FUNCTION citedesmetiers_auditentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("citedesmetiers", "0003_audit_and_languages")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
