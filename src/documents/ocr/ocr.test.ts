/**
 * OCR (issue 4, digitization extras): a CCCD scanned at the counter is recognised in a background job from the
 * original as received — Vietnamese, NFC — into a derived copy; the original and the signed copy stay byte for byte;
 * the counter finds the dossier by words of the scan (with or without accents), reads the text, and gets the card's
 * number, name and date of birth suggested from a scan. Both engines (tesseract program, tesseract.js) are checked.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { receiveWalkIn } from '../../dossiers/counter.ts';
import { ocrRoutes } from '../../dossiers/ocr-routes.ts';
import { COMPONENTS as C, WORLD, provisionDemoSigning, seedIntakeCatalog, validForm } from '../../dossiers/testing.ts';
import { identityRoutes } from '../../identity/routes.ts';
import { createSignedInUser, type TestSession } from '../../identity/testing.ts';
import { sha256Hex } from '../../platform/blobs/index.ts';
import { buildApp } from '../../platform/http/app.ts';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { openOcrEngine, textFromTsv } from './engine.ts';
import { cccdSuggestion, foldForSearch } from './rules.ts';
import { enqueueOcrJobs, ocrJobHandlers } from './service.ts';
import { CARD, cardScan } from './testing.ts';

const CARD_NUMBER = CARD.number;

describe('OCR engines', () => {
  let scan: Uint8Array;
  beforeAll(async () => {
    scan = await cardScan();
  });

  for (const name of ['tesseract', 'tesseract.js'] as const) {
    it(`${name} reads the card's Vietnamese text, and the suggestion passes the CCCD checks`, async () => {
      const engine = await openOcrEngine(name).catch(() => null);
      // The tesseract program is optional on a developer's machine (CI installs it); tesseract.js always works.
      if (!engine) return expect(name).toBe('tesseract');
      try {
        const r = await engine.recognize(scan);
        expect(r.text).toBe(r.text.normalize('NFC'));
        expect(r.text).toContain('CĂN CƯỚC CÔNG DÂN');
        expect(r.confidence).toBeGreaterThan(60);
        const s = cccdSuggestion(r.text, new Date('2026-12-06T00:00:00Z'));
        expect(s.idNumber).toBe(CARD_NUMBER);
        expect(s.dateOfBirth).toBe('1985-03-12');
        // Diacritics of a name may be misread (Nguyễn → Nguyên); the letters are there, and the officer decides.
        expect(foldForSearch(s.fullName ?? '')).toBe('nguyen van duc');
      } finally {
        await engine.close();
      }
    }, 120_000);
  }

  it('groups TSV words back into lines and averages word confidence', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t',
      '5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tHọ',
      '5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80\tvà',
      '5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tTÊN',
    ].join('\n');
    expect(textFromTsv(tsv)).toEqual({ text: 'Họ và\nTÊN', confidence: 80 });
    expect(textFromTsv('header\n')).toEqual({ text: '', confidence: null });
  });
});

describe('OCR of a walk-in scan', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let counter: TestSession & { userId: string };
  let other: TestSession & { userId: string };
  let dossierId: string;
  let documentId: string;
  let before: { blob_sha256: string; signed_blob_sha256: string };
  let scan: Uint8Array;

  beforeAll(async () => {
    ctx = await createTestContext({ demo: true, webDist: '/nonexistent-web-dist' });
    await seedIntakeCatalog(ctx);
    counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch, displayName: 'Hoàng Minh Tâm' });
    other = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.otherBranch });
    await provisionDemoSigning(ctx, [WORLD.branch]);
    app = await buildApp(ctx, { rooms: [identityRoutes, ocrRoutes], logger: false });
    scan = await cardScan();
    const r = await receiveWalkIn(
      ctx,
      counter.principal,
      {
        procedure: WORLD.procedure,
        applicant: { kind: 'citizen', subjectId: CARD_NUMBER, fullName: 'Nguyễn Văn Đức' },
        components: [
          { key: C.form, form: validForm(CARD_NUMBER) },
          { key: C.diploma, basis: 'DIGITIZED_SIGNED' },
          { key: C.card, exempt: { reason: 'SHOWN_ONLY' } },
        ],
      },
      [{ componentKey: C.diploma, filename: 'cccd.png', declaredType: 'image/png', bytes: scan }],
    );
    dossierId = r.body.id;
    const row = await ctx.db.query<{ document_id: string; blob_sha256: string; signed_blob_sha256: string }>(
      `SELECT c.document_id, d.blob_sha256, d.signed_blob_sha256 FROM dossier_component c JOIN document d ON d.id = c.document_id WHERE c.dossier_id = $1 AND c.component_key = $2`,
      [dossierId, C.diploma],
    );
    documentId = row.rows[0]!.document_id;
    before = row.rows[0]!;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('the reception queued one OCR job; the job stores NFC text beside the untouched original and signed copy', async () => {
    const jobs = await ctx.db.query<{ payload: { documentId: string } }>(`SELECT payload FROM job WHERE type = 'document.ocr'`);
    expect(jobs.rows.map((j) => j.payload.documentId)).toEqual([documentId]);
    await runJobsUntilIdle(ctx, ocrJobHandlers);
    const text = await ctx.db.query<{ engine: string; text: string; pages: { page: number; confidence: number }[]; search_text: string }>(
      'SELECT engine, text, pages, search_text FROM document_text WHERE document_id = $1',
      [documentId],
    );
    expect(text.rows).toHaveLength(1);
    const t = text.rows[0]!;
    expect(['tesseract', 'tesseract.js']).toContain(t.engine);
    expect(t.text).toBe(t.text.normalize('NFC'));
    expect(t.text).toContain(CARD_NUMBER);
    expect(t.search_text).toContain('van duc');
    expect(t.pages.map((p) => p.page)).toEqual([1]);
    const after = await ctx.db.query<{ blob_sha256: string; signed_blob_sha256: string }>('SELECT blob_sha256, signed_blob_sha256 FROM document WHERE id = $1', [documentId]);
    expect(after.rows[0]).toEqual({ blob_sha256: before.blob_sha256, signed_blob_sha256: before.signed_blob_sha256 });
    expect(sha256Hex(await ctx.blobs.get(before.blob_sha256))).toBe(before.blob_sha256);
    const audit = await ctx.db.query(`SELECT 1 FROM audit_event WHERE type = 'document.text_recognized' AND subject_id = $1`, [documentId]);
    expect(audit.rowCount).toBe(1);

    // Queued again (a retry, a second reception path): nothing is recognised or written twice.
    await ctx.db.tx((q) => enqueueOcrJobs(q, [documentId], ctx.now()));
    await runJobsUntilIdle(ctx, ocrJobHandlers);
    expect((await ctx.db.query('SELECT 1 FROM document_text')).rowCount).toBe(1);
  }, 120_000);

  it('the counter finds the dossier by words of the scan, with or without accents; another branch does not', async () => {
    for (const q of ['nguyen van duc', 'NGUYỄN VĂN ĐỨC', CARD_NUMBER]) {
      const res = await app.inject({ url: `/api/reception/search?q=${encodeURIComponent(q)}`, headers: counter.headers });
      expect(res.statusCode).toBe(200);
      expect((res.json() as { items: { id: string; components: string[] }[] }).items).toEqual([expect.objectContaining({ id: dossierId, components: [C.diploma] })]);
    }
    const foreign = await app.inject({ url: `/api/reception/search?q=${CARD_NUMBER}`, headers: other.headers });
    expect((foreign.json() as { items: unknown[] }).items).toEqual([]);
    const empty = await app.inject({ url: `/api/reception/search?q=${encodeURIComponent('—')}`, headers: counter.headers });
    expect(empty.statusCode).toBe(400);
    const searches = await ctx.db.query<{ data: { results: string[] } }>(`SELECT data FROM audit_event WHERE type = 'dossier.text_searched' ORDER BY seq`);
    // Audited when it revealed something, without the query (it may be a name).
    expect(searches.rows.map((r) => r.data.results)).toEqual([[dossierId], [dossierId], [dossierId]]);
    expect(JSON.stringify(searches.rows)).not.toContain('nguyen');
  });

  it('shows the recognised text of the dossier to its branch, audited; 404 to another branch', async () => {
    const res = await app.inject({ url: `/api/reception/dossiers/${dossierId}/text`, headers: counter.headers });
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { componentKey: string; status: string; text?: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ componentKey: C.diploma, status: 'done' })]);
    expect(items[0]!.text).toContain('CĂN CƯỚC CÔNG DÂN');
    expect((await app.inject({ url: `/api/reception/dossiers/${dossierId}/text`, headers: other.headers })).statusCode).toBe(404);
    expect((await ctx.db.query(`SELECT 1 FROM audit_event WHERE type = 'dossier.text_read' AND subject_id = $1`, [dossierId])).rowCount).toBe(1);
  });

  function imagePart(bytes: Uint8Array, field = 'image') {
    const boundary = `----hoso${randomUUID()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="cccd.png"\r\nContent-Type: image/png\r\n\r\n`),
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { ...counter.headers, 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  it('reads a CCCD scan for the walk-in form and stores nothing; a file that is no image is refused precisely', async () => {
    const texts = (await ctx.db.query('SELECT 1 FROM document_text')).rowCount;
    const res = await app.inject({ method: 'POST', url: '/api/reception/ocr/cccd', ...imagePart(scan) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ idNumber: CARD_NUMBER, dateOfBirth: '1985-03-12' });
    expect((await ctx.db.query('SELECT 1 FROM document_text')).rowCount).toBe(texts);
    const bad = await app.inject({ method: 'POST', url: '/api/reception/ocr/cccd', ...imagePart(new TextEncoder().encode('not an image')) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'OCR_IMAGE_UNREADABLE' });
    const wrongField = await app.inject({ method: 'POST', url: '/api/reception/ocr/cccd', ...imagePart(scan, 'photo') });
    expect(wrongField.statusCode).toBe(400);
  }, 120_000);
});
