/**
 * Rendering an ND 30 document and validating a signed PDF are pure CPU work; on the issuing path they run in a pool
 * of worker threads (HOSO_PDF_WORKERS, default one per core beyond the first; 0 keeps them in the calling thread)
 * so the main thread's event loop is free for requests and for the signing steps.
 */
import { TaskPool, WorkerTaskError } from '../platform/workers/pool.ts';
import type { AppContext } from '../platform/context.ts';
import { validatePdf, type ValidateOptions, type ValidationReport } from '../signatures/validation/index.ts';
import { renderAdministrativeDocument, type AdministrativeDocument } from './nd30/index.ts';
import type { RenderOptions, RenderedDocument } from './nd30/types.ts';
import type { tasks } from './pdf-tasks.ts';

let pool: TaskPool<typeof tasks> | undefined;

function pdfPool(ctx: AppContext): TaskPool<typeof tasks> | undefined {
  const size = ctx.config.pdfWorkers;
  if (size <= 0) return undefined;
  if (!pool || pool.size !== size) {
    void pool?.close();
    pool = new TaskPool(new URL('./pdf-tasks.ts', import.meta.url).href, size);
  }
  return pool;
}

/** A task's own errors are typed (validation problems): run it here again to throw the real one. */
async function offThread<R>(ctx: AppContext, run: (p: TaskPool<typeof tasks>) => Promise<R>, here: () => Promise<R>): Promise<R> {
  const p = pdfPool(ctx);
  if (!p) return here();
  try {
    return await run(p);
  } catch (e) {
    if (e instanceof WorkerTaskError) return here();
    throw e;
  }
}

export function renderInPool(ctx: AppContext, doc: AdministrativeDocument, opts: RenderOptions): Promise<RenderedDocument> {
  return offThread(ctx, (p) => p.run('render', doc, opts), () => renderAdministrativeDocument(doc, opts));
}

export function validateInPool(ctx: AppContext, bytes: Uint8Array, opts: ValidateOptions): Promise<ValidationReport> {
  return offThread(ctx, (p) => p.run('validate', bytes, opts), () => validatePdf(bytes, opts));
}
