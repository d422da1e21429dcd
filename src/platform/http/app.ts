import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyPluginCallback,
  type FastifyServerOptions,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import addFormats from 'ajv-formats';
import type { AppContext } from '../context.ts';
import { registerMetrics } from './metrics.ts';
import { AppError, Problems, pickLang, problemBody } from './problem.ts';

export type RoomPlugin = FastifyPluginAsync<{ ctx: AppContext }> | FastifyPluginCallback<{ ctx: AppContext }>;

export interface BuildAppOptions {
  /** Room plugins in registration order; each receives the context. */
  rooms: RoomPlugin[];
  /** Pino logger options; false for silent tests. */
  logger?: boolean | object;
}

const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** Paths registered by plugins we do not own (API docs UI, static assets) are public by nature. */
function isInfrastructurePath(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url === '/*' || url.startsWith('/assets/');
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions = {
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, ...(typeof options.logger === 'object' ? options.logger : {}) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: ctx.config.jsonBodyLimit,
    trustProxy: ctx.config.trustProxy,
    ajv: {
      customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true },
      plugins: [addFormats as never],
    },
  };
  const app = Fastify(serverOptions).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Every route must say who may call it; a route without a declaration is a programming error caught at start-up.
  app.addHook('onRoute', (route) => {
    if (route.config?.access) return;
    if (isInfrastructurePath(route.url) || route.method === 'HEAD') {
      route.config = { ...(route.config ?? {}), access: { public: true } };
      return;
    }
    throw new Error(`route ${String(route.method)} ${route.url} declares no access policy (config.access)`);
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const lang = pickLang(request.headers['accept-language'], (request.query as { lang?: string } | undefined)?.lang);
    const problem = toAppError(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    app.countProblem(problem.code);
    return reply
      .status(problem.status)
      .type('application/problem+json; charset=utf-8')
      .send(problemBody(problem, lang, request.url.split('?')[0]));
  });

  const registry = registerMetrics(app);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.config.uploadBodyLimit, files: 50, fields: 200, fieldSize: ctx.config.jsonBodyLimit },
    throwFileSizeLimit: true,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hoso API',
        version: '0.1.0',
        description:
          'Hồ sơ điện tử — electronic administrative dossiers. Errors are RFC 9457 problem+json with a stable `code`; titles follow Accept-Language (vi, en).',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'hoso_session' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await ctx.db.query('SELECT 1');
      checks.database = 'ok';
    } catch (err) {
      checks.database = `error: ${(err as Error).message}`;
    }
    try {
      await ctx.blobs.check();
      checks.blobStore = 'ok';
    } catch (err) {
      checks.blobStore = `error: ${(err as Error).message}`;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks });
  });

  app.get('/metrics', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });

  for (const room of options.rooms) await app.register(room, { ctx });

  const webIndex = join(ctx.config.webDist, 'index.html');
  const hasWeb = existsSync(webIndex);
  if (hasWeb) {
    // One public wildcard route: files that exist are served, anything else falls to the not-found handler below.
    await app.register(fastifyStatic, { root: ctx.config.webDist, wildcard: true, index: ['index.html'] });
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsHtml = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    const isApi = path.startsWith('/api/') || path === '/api';
    // The web app routes on the client: any other HTML navigation gets its shell.
    if (hasWeb && wantsHtml && !isApi) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    const lang = pickLang(request.headers['accept-language']);
    app.countProblem(Problems.routeNotFound.code);
    return reply
      .status(404)
      .type('application/problem+json; charset=utf-8')
      .send(problemBody(Problems.routeNotFound({ method: request.method }), lang, path));
  });

  return app;
}

/** Maps framework and library errors onto stable problem codes; anything unknown becomes a 500 without details. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { validation?: Array<{ instancePath?: string; message?: string; params?: unknown }> };
  if (e?.validation) {
    return Problems.validation({
      errors: e.validation.map((v) => ({
        path: `${(e as { validationContext?: string }).validationContext ?? 'body'}${v.instancePath ?? ''}`,
        message: v.message ?? 'invalid',
        params: v.params,
      })),
    });
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return Problems.invalidJson();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return Problems.bodyTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return Problems.unsupportedMediaType();
    default:
      break;
  }
  if (e instanceof SyntaxError && (e as FastifyError).statusCode === 400) return Problems.invalidJson();
  if (e?.statusCode === 429) return Problems.rateLimited();
  if (e?.statusCode === 404) return Problems.notFound();
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(e.code ?? 'BAD_REQUEST', e.statusCode, { vi: 'Yêu cầu không hợp lệ', en: e.message || 'Bad request' });
  }
  return Problems.internal();
}
