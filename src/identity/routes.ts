import fp from 'fastify-plugin';
import type { AppContext } from '../platform/context.ts';
import { accessPlugin } from './plugin.ts';

/** Identity room: who is calling (sessions) and what they may call (declared access). */
export const identityRoutes = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    await app.register(accessPlugin, { ctx, resolvePrincipal: async () => null });
  },
  { name: 'hoso-identity' },
);
