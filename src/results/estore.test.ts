/**
 * The e-store keeps the accepted components of a dossier (issue 6, R3 once-only): an e-certified copy accepted at
 * reception is in the applicant's store at once, and the next dossier takes it from there without uploading; what
 * is not a valid e-document of a reusable type is not kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentRequirement, ProvidedComponent } from '../documents/rules.ts';
import * as intake from '../dossiers/service.ts';
import { COMPONENTS, WORLD, usualComponents } from '../dossiers/testing.ts';
import { PROCESSING, startProcessingWorld, type ProcessingWorld } from '../dossiers/processing/testing.ts';
import { acceptedComponents } from './estore.ts';

describe('which components the e-store keeps', () => {
  const requirements: ComponentRequirement[] = [
    { key: 'copy', name: 'Bản sao', required: true, acceptedBases: ['E_CERTIFIED', 'REUSED'] },
    { key: 'scan', name: 'Bản quét', required: true, acceptedBases: ['DIGITIZED_SIGNED'] },
    { key: 'form', name: 'Tờ khai', required: true, acceptedBases: ['SELF_DECLARED'] },
    { key: 'untyped', name: 'Không loại', required: false, acceptedBases: ['E_CERTIFIED'] },
    { key: 'failed', name: 'Chữ ký lỗi', required: false, acceptedBases: ['E_CERTIFIED'] },
  ];
  const definitions = [
    { key: 'copy', name: 'Bản sao văn bằng', documentType: 'education.degree' },
    { key: 'scan', name: 'Giấy khám sức khỏe', documentType: 'health.fitness' },
    { key: 'form', name: 'Tờ khai', documentType: 'form.x' },
    { key: 'untyped', name: 'Không loại', documentType: null },
    { key: 'failed', name: 'Chữ ký lỗi', documentType: 'education.degree' },
  ];
  const passed = (id: string) => ({ reportId: `r-${id}`, indication: 'TOTAL_PASSED' as const });
  const provided: Record<string, ProvidedComponent> = {
    copy: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'd-copy', validation: passed('copy') },
    scan: { kind: 'basis', basis: 'DIGITIZED_SIGNED', documentId: 'd-scan', validation: passed('scan'), convertedBy: 'officer' },
    form: { kind: 'basis', basis: 'SELF_DECLARED', documentId: 'd-form', submission: { id: 's', authenticated: true } },
    untyped: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'd-untyped', validation: passed('untyped') },
    failed: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'd-failed', validation: { reportId: 'r', indication: 'TOTAL_FAILED' } },
  };

  it('keeps valid e-documents of a reusable type: e-certified copies and signed scans, not forms, untyped or failing ones', () => {
    const kept = acceptedComponents(definitions, requirements, provided);
    expect(kept.map((k) => [k.componentKey, k.documentType, k.documentId, k.original.basis])).toEqual([
      ['copy', 'education.degree', 'd-copy', 'E_CERTIFIED'],
      ['scan', 'health.fitness', 'd-scan', 'DIGITIZED_SIGNED'],
    ]);
  });

  it('does not keep what was itself reused (it is in the store already)', () => {
    const reused: Record<string, ProvidedComponent> = {
      copy: { kind: 'basis', basis: 'REUSED', source: 'estore', reference: 'item', original: provided.copy as never },
    };
    expect(acceptedComponents(definitions, requirements, reused)).toEqual([]);
  });
});

describe('accepted components in the e-store, end to end', () => {
  let world: ProcessingWorld;
  beforeAll(async () => {
    world = await startProcessingWorld();
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
  });

  it('an e-certified copy accepted at reception is in the store at once; the next dossier reuses it without uploading', async () => {
    const { citizen } = world.users;
    const first = await world.submitAndReceive();
    const code = (await intake.getMyDossier(world.ctx, citizen.principal, first)).code;
    const store = await world.app.inject({ method: 'GET', url: `/api/my/estore?documentType=${PROCESSING.degreeType}`, headers: citizen.headers });
    expect(store.statusCode, store.body).toBe(200);
    const items = (store.json() as { items: { id: string; kind: string; basis: string; title: string; status: string; sourceDossierCode: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ kind: 'component', basis: 'E_CERTIFIED', title: 'Bản sao văn bằng chuyên môn', status: 'valid', sourceDossierCode: code })]);
    const download = await world.app.inject({ method: 'GET', url: `/api/my/estore/${items[0]!.id}/document`, headers: citizen.headers });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('application/pdf');

    // Once-only: the second dossier names the stored copy; nothing is uploaded, the copy is valid by its origin.
    const again = await intake.submitOnline(
      world.ctx,
      citizen.principal,
      {
        procedure: PROCESSING.procedure,
        receivingAgency: WORLD.branch,
        components: usualComponents(citizen.principal.subjectId!).map((c) => (c.key === COMPONENTS.diploma ? { key: c.key, basis: 'REUSED' as const, reuse: { estoreItemId: items[0]!.id } } : c)),
      },
      [],
    );
    expect(again.status).toBe(201);
    const reused = (await intake.getMyDossier(world.ctx, citizen.principal, again.body.id)).components.find((c) => c.key === COMPONENTS.diploma)!;
    expect(reused).toMatchObject({ basis: 'REUSED', assessment: 'valid' });
    await intake.receiveDossier(world.ctx, world.users.counter.principal, again.body.id);
    // The reuse is not stored a second time.
    const after = await world.app.inject({ method: 'GET', url: `/api/my/estore?documentType=${PROCESSING.degreeType}`, headers: citizen.headers });
    expect((after.json() as { items: unknown[] }).items).toHaveLength(1);
    const audit = await world.ctx.db.query<{ data: { storedForReuse?: string[] } }>(`SELECT data FROM audit_event WHERE subject_id = $1 AND type = 'dossier.received'`, [first]);
    expect(audit.rows[0]!.data.storedForReuse).toEqual([COMPONENTS.diploma]);
  }, 180_000);
});
