/** The applicant's rating of a delivered dossier (QĐ 766 indicator 5.4). */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Problems } from '../../platform/http/problem.ts';
import { myRating, rateMyDossier } from './service.ts';

const APPLICANTS = ['citizen', 'business', 'agent'] as const;
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ratingRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/my/dossiers/:id/rating',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: { tags: ['portal'], summary: 'My rating of a dossier, and whether I can rate it now (after delivery, once)', params: IdParams },
    },
    async (request) => {
      if (!request.principal) throw Problems.unauthenticated();
      return myRating(ctx, request.principal, request.params.id);
    },
  );

  app.post(
    '/api/my/dossiers/:id/rating',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: {
        tags: ['portal'],
        summary: 'Rate a delivered dossier once: 1 very dissatisfied … 5 very satisfied, optional comment',
        params: IdParams,
        body: Type.Object({ rating: Type.Integer(), comment: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      if (!request.principal) throw Problems.unauthenticated();
      return reply.code(201).send(await rateMyDossier(ctx, request.principal, request.params.id, request.body));
    },
  );
};
