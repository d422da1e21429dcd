import type { Queryable } from '../../platform/db/db.ts';

export type CredentialBackend = 'pkcs12' | 'pkcs11' | 'csc' | 'demo';

export interface SigningCredentialRow {
  id: string;
  purpose: 'personal' | 'seal';
  userId: string | null;
  agencyId: string | null;
  backend: CredentialBackend;
  settings: Record<string, unknown>;
  certificate: Uint8Array;
  subject: string;
  serialHex: string;
  notAfter: Date;
}

interface Raw {
  id: string;
  purpose: 'personal' | 'seal';
  user_id: string | null;
  agency_id: string | null;
  backend: CredentialBackend;
  settings: Record<string, unknown>;
  certificate: Uint8Array;
  subject: string;
  serial_hex: string;
  not_after: Date | string;
}

const toRow = (r: Raw): SigningCredentialRow => ({
  id: r.id,
  purpose: r.purpose,
  userId: r.user_id,
  agencyId: r.agency_id,
  backend: r.backend,
  settings: r.settings,
  certificate: new Uint8Array(r.certificate),
  subject: r.subject,
  serialHex: r.serial_hex,
  notAfter: new Date(r.not_after),
});

export async function findActiveCredential(
  q: Queryable,
  owner: { userId: string } | { agencyId: string },
): Promise<SigningCredentialRow | null> {
  const r =
    'userId' in owner
      ? await q.query<Raw>(`SELECT * FROM signing_credential WHERE active AND purpose = 'personal' AND user_id = $1`, [owner.userId])
      : await q.query<Raw>(`SELECT * FROM signing_credential WHERE active AND purpose = 'seal' AND agency_id = $1`, [owner.agencyId]);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

/** Replaces the owner's active credential (the old one stays as history, inactive). */
export async function activateCredential(q: Queryable, c: Omit<SigningCredentialRow, 'id'>): Promise<string> {
  if (c.purpose === 'personal') {
    await q.query(`UPDATE signing_credential SET active = false WHERE active AND purpose = 'personal' AND user_id = $1`, [c.userId]);
  } else {
    await q.query(`UPDATE signing_credential SET active = false WHERE active AND purpose = 'seal' AND agency_id = $1`, [c.agencyId]);
  }
  const r = await q.query<{ id: string }>(
    `INSERT INTO signing_credential (purpose, user_id, agency_id, backend, settings, certificate, subject, serial_hex, not_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [c.purpose, c.userId, c.agencyId, c.backend, JSON.stringify(c.settings), c.certificate, c.subject, c.serialHex, c.notAfter],
  );
  return r.rows[0]!.id;
}
