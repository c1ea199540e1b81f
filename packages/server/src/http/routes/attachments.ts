import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deleteAttachment } from '../../domain/attachments/delete-attachment.js';
import { authenticate } from '../../domain/authenticate.js';
import type { Clock } from '../../domain/clock.js';
import { errors } from '../../domain/errors.js';
import type { Principal } from '../../domain/model.js';
import type { MetadataStore } from '../../storage/ports.js';
import type { DataCenterResolver } from '../app.js';
import { singleAuthorizationHeader } from '../request-context.js';
import { sendJson } from '../wire.js';

export interface AttachmentRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  resolveDataCenter: DataCenterResolver;
}

interface AttachmentParams {
  module: string;
  recordId: string;
  attachmentId: string;
}

type MethodHandler = (request: FastifyRequest, reply: FastifyReply, principal: Principal) => Promise<unknown>;

/**
 * Attachment routes. Each path is registered for every method, so that a known path with a
 * method it does not serve answers INVALID_REQUEST_METHOD (D4 row 2) and not a 404; the method
 * check comes before authentication, as the decision table orders them.
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: AttachmentRouteDeps): void {
  const authDeps = { auth: deps.metadata.auth, clock: deps.clock };
  const deleteDeps = {
    records: deps.metadata.records,
    roles: deps.metadata.roles,
    attachments: deps.metadata.attachments,
    clock: deps.clock,
  };

  const route = (url: string, methods: Record<string, MethodHandler>) =>
    app.all(url, async (request, reply) => {
      const handler = methods[request.method];
      if (!handler) throw errors.requestMethod();
      const principal = await authenticate(
        authDeps,
        singleAuthorizationHeader(request),
        deps.resolveDataCenter(request.headers.host),
      );
      request.outcome = 'success';
      return handler(request, reply, principal);
    });

  route('/bigin/v2/:module/:recordId/Attachments/:attachmentId', {
    DELETE: async (request, reply, principal) => {
      const params = request.params as AttachmentParams;
      const { id } = await deleteAttachment(deleteDeps, principal, params);
      // `id` is 1-19 digits (checked by the domain), so it needs no escaping.
      return sendJson(
        reply,
        200,
        `{"data":[{"code":"SUCCESS","details":{"id":"${id}"},"message":"record deleted","status":"success"}]}`,
      );
    },
  });
}
