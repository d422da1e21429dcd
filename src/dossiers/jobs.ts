/** Background jobs of the intake room (listed in platform/rooms.ts). */
import type { JobHandler } from '../platform/jobs/index.ts';
import { receiptJobHandlers } from './receipt.ts';

export const jobHandlers: Record<string, JobHandler> = { ...receiptJobHandlers };
