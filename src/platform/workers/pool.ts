/**
 * A fixed pool of worker threads running the pure, CPU-heavy functions of a room (PDF rendering, validation) so the
 * main thread keeps serving requests and a second core does that work. Tasks receive and return structured-clone
 * data; a task that throws rejects with a WorkerTaskError carrying the error's name and message only (classes do
 * not cross threads), so callers that need the typed error run the function in-process again.
 */
import { Worker } from 'node:worker_threads';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tasks = Record<string, (...args: any[]) => unknown>;

export class WorkerTaskError extends Error {
  constructor(
    readonly task: string,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerTaskError';
  }
}

interface Job {
  id: number;
  task: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };

export class TaskPool<T extends Tasks> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  /** `module` is the file URL of a module exporting `tasks: T`. */
  constructor(
    private readonly module: string,
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run<K extends keyof T & string>(task: K, ...args: Parameters<T[K]>): Promise<Awaited<ReturnType<T[K]>>> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, args, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { module: this.module } });
    const slot: Slot = { worker, job: undefined };
    // Idle workers do not keep the process alive; a worker holding a job does (ref in dispatch).
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = undefined;
      worker.unref();
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new WorkerTaskError(job.task, reply.error.name, reply.error.message));
      this.dispatch();
    });
    const lost = (error: unknown): void => {
      const job = slot.job;
      slot.job = undefined;
      if (job) job.reject(error instanceof Error ? error : new Error(`worker stopped (${String(error)})`));
      if (this.closed) return;
      // Replace the worker so the pool keeps its size.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) lost(new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task, args: job.args });
    }
  }
}
