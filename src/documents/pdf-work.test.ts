import { afterAll, describe, expect, it } from 'vitest';
import { TaskPool, WorkerTaskError } from '../platform/workers/pool.ts';
import { renderAdministrativeDocument, type AdministrativeDocument } from './nd30/index.ts';
import type { tasks } from './pdf-tasks.ts';

const doc: AdministrativeDocument = {
  governingBody: 'UBND THÀNH PHỐ HÀ NỘI',
  issuingAgency: 'SỞ Y TẾ',
  number: { value: 12, symbol: 'CCHN-SYT' },
  place: 'Hà Nội',
  date: new Date('2026-02-05T03:00:00Z'),
  title: 'CHỨNG CHỈ HÀNH NGHỀ DƯỢC',
  body: [{ kind: 'paragraph', text: 'Cấp cho ông Nguyễn Văn An, số định danh 001085012345.' }],
  signer: { authority: 'KT. GIÁM ĐỐC', position: 'PHÓ GIÁM ĐỐC', fullName: 'Vũ Quốc Khánh' },
};

describe('PDF worker pool', () => {
  const pool = new TaskPool<typeof tasks>(new URL('./pdf-tasks.ts', import.meta.url).href, 2);
  afterAll(() => pool.close());

  it('renders in a worker exactly what the calling thread renders', async () => {
    const [a, b] = await Promise.all([pool.run('render', doc, { now: doc.date }), renderAdministrativeDocument(doc, { now: doc.date })]);
    expect(Buffer.from(a.pdf).equals(Buffer.from(b.pdf))).toBe(true);
    expect(a.signatureBox).toEqual(b.signatureBox);
    expect(a.pageCount).toBe(1);
  });

  it('runs more tasks than workers, and reports a validation of a non-PDF as the calling thread does', async () => {
    const reports = await Promise.all([1, 2, 3, 4].map(() => pool.run('validate', new TextEncoder().encode('not a pdf'), { trustAnchors: [] })));
    for (const r of reports) expect(r.error).toBeDefined();
  });

  it('rejects a task that throws with a WorkerTaskError naming it, and keeps working', async () => {
    const bad = { ...doc, title: '' };
    await expect(pool.run('render', bad, {})).rejects.toBeInstanceOf(WorkerTaskError);
    await expect(pool.run('render', bad, {})).rejects.toMatchObject({ task: 'render' });
    expect((await pool.run('render', doc, { now: doc.date })).pageCount).toBe(1);
  });
});
