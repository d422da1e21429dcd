import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics: process defaults plus request duration by route template (never by raw URL: no personal data). */
export function registerMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hoso_' });
  const duration = new Histogram({
    name: 'hoso_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const problems = new Counter({
    name: 'hoso_http_problems_total',
    help: 'Problem responses by stable error code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  app.decorate('countProblem', (code: string) => problems.inc({ code }));
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` },
      reply.elapsedTime / 1000,
    );
  });
  return registry;
}

declare module 'fastify' {
  interface FastifyInstance {
    countProblem(code: string): void;
  }
}
