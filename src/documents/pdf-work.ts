/**
 * Rendering an ND 30 document and validating a signed PDF are pure CPU work. Every render a request or job asks for
 * (results, drafts, forms, control sheets, registers) and the issued file's validation run in a pool of worker
 * threads (HOSO_PDF_WORKERS, default one per core beyond the first; 0 keeps them in the calling thread), so the main
 * thread's event loop stays free for requests and for the signing steps.
 */
import { TaskPool } from '../platform/workers/pool.ts';
import type { AppContext } from '../platform/context.ts';
import { validatePdf, type ValidateOptions, type ValidationReport } from '../signatures/validation/index.ts';
import { renderAdministrativeDocument, type AdministrativeDocument } from './nd30/index.ts';
import type { RenderOptions, RenderedDocument } from './nd30/types.ts';
import type { tasks } from './pdf-tasks.ts';

// One pool per size, kept for the process (idle workers do not hold it open): contexts with different settings,
// as tests make, must not close a pool another context still has jobs in.
const pools = new Map<number, TaskPool<typeof tasks>>();

function pdfPool(ctx: AppContext): TaskPool<typeof tasks> | undefined {
  const size = ctx.config.pdfWorkers;
  if (size <= 0) return undefined;
  let pool = pools.get(size);
  if (!pool) {
    pool = new TaskPool(new URL('./pdf-tasks.ts', import.meta.url).href, size);
    pools.set(size, pool);
  }
  return pool;
}

/**
 * Runs a task in the pool, or here when there is none. Whatever goes wrong in the pool — the task's own error
 * (typed errors do not cross threads), a worker that died — the task runs here again, so the caller sees exactly
 * what an in-thread call gives.
 */
async function offThread<R>(ctx: AppContext, run: (p: TaskPool<typeof tasks>) => Promise<R>, here: () => Promise<R>): Promise<R> {
  const p = pdfPool(ctx);
  if (!p) return here();
  return run(p).catch(here);
}

export function renderInPool(ctx: AppContext, doc: AdministrativeDocument, opts: RenderOptions): Promise<RenderedDocument> {
  return offThread(ctx, (p) => p.run('render', doc, opts), () => renderAdministrativeDocument(doc, opts));
}

export function validateInPool(ctx: AppContext, bytes: Uint8Array, opts: ValidateOptions): Promise<ValidationReport> {
  return offThread(ctx, (p) => p.run('validate', bytes, opts), () => validatePdf(bytes, opts));
}
