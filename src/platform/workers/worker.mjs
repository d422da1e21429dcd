// Entry of a task worker (pool.ts). Plain JavaScript so it starts the same under `node`, tsx and vitest: it
// registers tsx's loader for this thread, then imports the TypeScript module whose `tasks` it runs.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { tasks } = await import(workerData.module);
parentPort.on('message', async ({ id, task, args }) => {
  try {
    const value = await tasks[task](...args);
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
});
