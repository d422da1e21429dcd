/**
 * Scope probes of the results room: an applicant reaches only their own e-store (test data: an issued document is
 * written straight into the store for the caller and for someone else).
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../identity/roles.ts';
import type { ScopeProbe, ScopeWorld } from '../identity/scope-probe.ts';
import { insertDocument } from '../documents/store.ts';
import { addResult } from './estore.ts';

async function itemOf(world: ScopeWorld, side: 'callers' | 'others', role: Role, documentType = 'probe.result'): Promise<string> {
  const { ctx } = world;
  const subjectId = world[side][role].principal.subjectId!;
  const blob = await ctx.blobs.put(new TextEncoder().encode(`%PDF-1.7 probe result ${randomUUID()}\n%%EOF`));
  const documentId = await insertDocument(ctx.db, {
    id: randomUUID(),
    blob: { sha256: blob.sha256, size: blob.size, mediaType: 'application/pdf' },
    pages: 1,
    origin: 'issued',
    createdBy: null,
    at: ctx.now(),
  });
  await addResult(ctx.db, {
    ownerSubjectId: subjectId,
    ownerKind: role === 'business' ? 'business' : 'citizen',
    documentId,
    documentType,
    title: 'Kết quả thử',
    issuer: 'Cơ quan thử',
    original: { kind: 'basis', basis: 'ECOPY_FROM_REGISTER', documentId, validation: { reportId: randomUUID(), indication: 'TOTAL_PASSED' } },
    dossierId: null,
    at: ctx.now(),
  });
  const r = await ctx.db.query<{ id: string }>('SELECT id FROM estore_item WHERE document_id = $1', [documentId]);
  return r.rows[0]!.id;
}

export const scopeProbes: ScopeProbe[] = [
  {
    route: 'GET /api/my/estore',
    build: async (world, role) => {
      // The other's item has a type the caller holds none of (an empty answer is not an audited read).
      const own = await itemOf(world, 'callers', role);
      const foreign = await itemOf(world, 'others', role, 'probe.other');
      return {
        own: { url: '/api/my/estore?documentType=probe.result', contains: [own] },
        foreign: { url: '/api/my/estore?documentType=probe.other', excludes: [foreign] },
      };
    },
  },
  {
    route: 'GET /api/my/estore/:id/document',
    build: async (world, role) => ({
      own: { url: `/api/my/estore/${await itemOf(world, 'callers', role)}/document` },
      foreign: { url: `/api/my/estore/${await itemOf(world, 'others', role)}/document` },
    }),
  },
];
