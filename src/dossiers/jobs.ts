/** Background jobs of the dossiers room (listed in platform/rooms.ts). */
import type { JobHandler } from '../platform/jobs/index.ts';
import { deadlineWatchHandlers } from './processing/deadline-watch.ts';
import { formJobHandlers } from './processing/forms.ts';
import { jobHandlers as resultSealHandlers } from './processing/result-sealing.ts';
import { jobHandlers as resultMailHandlers } from './processing/result-mail.ts';
import { receiptJobHandlers } from './receipt.ts';

export const jobHandlers: Record<string, JobHandler> = { ...receiptJobHandlers, ...formJobHandlers, ...deadlineWatchHandlers, ...resultSealHandlers, ...resultMailHandlers };
