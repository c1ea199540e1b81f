import { z } from 'zod';
import { type FaultRule, type FaultRuleInput, invalidRule } from '../../domain/faults/fault-rules.js';
import { AdminBodyError, readAdminBody } from './admin-body.js';
import { type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';

const ruleSchema = z.strictObject({
  match: z
    .strictObject({
      dataCenter: z.string().optional(),
      orgId: z.string().optional(),
      method: z.string().optional(),
      path: z.string().optional(),
      module: z.string().optional(),
      token: z.string().optional(),
    })
    .optional(),
  answer: z.object({ kind: z.string() }).passthrough(),
  skip: z.number().optional(),
  times: z.number().nullable().optional(),
  probability: z.number().optional(),
  seed: z.number().optional(),
});

/** A rule as the admin API shows it: the token it matches is a secret, so only its tail is shown. */
function ruleJson(rule: FaultRule) {
  const { token, ...match } = rule.match;
  return {
    ...rule,
    match: token === undefined ? match : { ...match, token: `…${token.slice(-4)}` },
    remaining: rule.times === null ? null : Math.max(0, rule.times - rule.fired),
  };
}

/** `GET|POST|DELETE /_admin/faults`, `DELETE /_admin/faults/{id}` (docs/faults.md). */
export const registerFaultRoutes: AdminRouteModule = (admin, deps) => {
  const faults = deps.instruments.faults;

  admin.get('/faults', async (request, reply) => {
    request.outcome = 'admin faults';
    return sendAdminJson(reply, 200, { rules: faults.list().map(ruleJson) });
  });

  admin.post('/faults', async (request, reply) => {
    request.outcome = 'admin faults add';
    let input: FaultRuleInput;
    try {
      input = (await readAdminBody(request, ruleSchema)) as FaultRuleInput;
    } catch (error) {
      if (error instanceof AdminBodyError)
        return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', error.message);
      throw error;
    }
    const problem = invalidRule(input);
    if (problem) return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', problem);
    return sendAdminJson(reply, 201, ruleJson(faults.add(input)));
  });

  admin.delete('/faults', async (request, reply) => {
    request.outcome = 'admin faults clear';
    faults.clear();
    return sendAdminJson(reply, 200, { rules: [] });
  });

  admin.delete('/faults/:id', async (request, reply) => {
    request.outcome = 'admin faults remove';
    const { id } = request.params as { id: string };
    if (!faults.remove(id)) return sendAdminError(reply, 'ADMIN_NOT_FOUND', `no fault rule ${id}`);
    return sendAdminJson(reply, 200, { removed: id });
  });
};
