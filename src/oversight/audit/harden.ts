/**
 * SQL that an operator runs on PostgreSQL, as the owner of the hoso tables, so that the application's own role can
 * append to the audit log but never change it. The triggers of migration 0040 already refuse UPDATE/DELETE/TRUNCATE
 * for everyone; the grants close the remaining door: only a table's owner (or a superuser) can disable a trigger, so
 * the app must not be either.
 */
const AUDIT_APPEND_ONLY = ['audit_event', 'audit_checkpoint'] as const;

export function quoteIdent(name: string): string {
  // Roles are chosen by the operator; refuse anything that would need more than plain quoting to be safe.
  if (!/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(name)) throw new Error(`invalid role name "${name}"`);
  return `"${name}"`;
}

export function hardenSql(appRole: string, schema = 'public'): string {
  const role = quoteIdent(appRole);
  const s = quoteIdent(schema);
  const literal = `'${appRole}'`;
  return `-- hoso: run the application as ${role}, a role that does not own the tables (docs/audit-log.md).
-- Run this as the owner of the hoso tables (the role that runs \`hoso migrate\`), after every migration.
BEGIN;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal}) THEN
    RAISE EXCEPTION 'role % does not exist: CREATE ROLE ${appRole.replace(/'/g, '')} LOGIN PASSWORD ''…'' first', ${literal};
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal} AND (rolsuper OR rolbypassrls OR rolreplication)) THEN
    RAISE EXCEPTION 'role % is a superuser or bypasses security: it could disable the audit triggers', ${literal};
  END IF;
  IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = '${schema}' AND tableowner = ${literal}) THEN
    RAISE EXCEPTION 'role % owns tables in schema ${schema}: an owner can disable the audit triggers', ${literal};
  END IF;
END
$$;
GRANT USAGE ON SCHEMA ${s} TO ${role};
-- On PostgreSQL 14 and older every role may create objects in "public" through PUBLIC; consider
-- REVOKE CREATE ON SCHEMA ${s} FROM PUBLIC; (affects every role, so it is left to the operator).
REVOKE CREATE ON SCHEMA ${s} FROM ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${role};
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA ${s} FROM ${role};
-- The audit log: append and read only.
${AUDIT_APPEND_ONLY.map((t) => `REVOKE UPDATE, DELETE ON ${s}.${t} FROM ${role};`).join('\n')}
-- The head row moves forward on every append (its trigger refuses anything else); it is never inserted or deleted.
REVOKE INSERT, DELETE ON ${s}.audit_head FROM ${role};
-- The migration history is read at start-up; only the owner applies migrations.
REVOKE INSERT, UPDATE, DELETE ON ${s}.schema_migration FROM ${role};
-- Tables created by later migrations get the ordinary grants; run this script again to re-apply the audit limits.
ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role};
COMMIT;
`;
}
