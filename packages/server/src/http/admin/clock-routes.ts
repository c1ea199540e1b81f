import { z } from 'zod';
import { type ClockStart, parseDuration, parseInstant, type VirtualClock } from '../../domain/clock.js';
import type { DueWorkResult } from '../../workers/due-work.js';
import { invalidRequest } from './admin-validation.js';
import { type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';

const instant = z
  .string()
  .refine((v) => parseInstant(v) !== null, 'an ISO 8601 instant with an offset, e.g. 2026-01-01T00:00:00Z');

const setBody = z
  .object({
    mode: z.enum(['real', 'frozen', 'offset']).optional(),
    at: instant.optional(),
    offsetMs: z.number().int().optional(),
  })
  .strict()
  .refine((b) => b.mode !== undefined || b.at !== undefined, 'give mode, at, or both')
  .refine(
    (b) => !(b.mode === 'real' && (b.at !== undefined || b.offsetMs !== undefined)),
    'real time takes no at or offsetMs',
  )
  .refine((b) => b.offsetMs === undefined || b.mode === 'offset', 'offsetMs goes with mode offset')
  .refine((b) => !(b.offsetMs !== undefined && b.at !== undefined), 'give at or offsetMs, not both');

const advanceBody = z
  .object({
    by: z
      .string()
      .refine((v) => parseDuration(v) !== null, 'a duration such as 250ms, 90s, 10m, 1h30m or 30d')
      .optional(),
    ms: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((b) => (b.by === undefined) !== (b.ms === undefined), 'give by or ms, exactly one');

function clockAnswer(clock: VirtualClock, ran?: DueWorkResult[]) {
  const state = clock.state();
  return {
    mode: state.mode,
    now: new Date(state.now).toISOString(),
    nowMs: state.now,
    offsetMs: state.offsetMs,
    ...(ran ? { dueWork: ran } : {}),
  };
}

/**
 * `GET/PUT /_admin/clock`, `POST /_admin/clock/advance`. A move answers only after every due-work
 * pass (purge, …) has run at the new time, so the caller's next request sees its effects.
 */
export const registerAdminClockRoutes: AdminRouteModule = (admin, deps) => {
  admin.get('/clock', async (request, reply) => {
    request.outcome = 'admin clock';
    if (!deps.clockControl) return sendAdminError(reply, 'ADMIN_CLOCK_EXTERNAL');
    return sendAdminJson(reply, 200, clockAnswer(deps.clockControl));
  });

  admin.put('/clock', async (request, reply) => {
    request.outcome = 'admin clock set';
    const clock = deps.clockControl;
    if (!clock) return sendAdminError(reply, 'ADMIN_CLOCK_EXTERNAL');
    const parsed = setBody.safeParse(request.body ?? {});
    if (!parsed.success) return invalidRequest(reply, parsed.error);
    const { mode, at, offsetMs } = parsed.data;
    const atMs = at === undefined ? undefined : (parseInstant(at) as number);
    if (mode === undefined) clock.set(atMs as number);
    else {
      const start: ClockStart = { mode };
      if (atMs !== undefined) start.at = atMs;
      if (offsetMs !== undefined) start.offsetMs = offsetMs;
      clock.apply(start);
    }
    const ran = await deps.dueWork.runAll();
    return sendAdminJson(reply, 200, clockAnswer(clock, ran));
  });

  admin.post('/clock/advance', async (request, reply) => {
    request.outcome = 'admin clock advance';
    const clock = deps.clockControl;
    if (!clock) return sendAdminError(reply, 'ADMIN_CLOCK_EXTERNAL');
    const parsed = advanceBody.safeParse(request.body ?? {});
    if (!parsed.success) return invalidRequest(reply, parsed.error);
    clock.advance(parsed.data.ms ?? (parseDuration(parsed.data.by as string) as number));
    const ran = await deps.dueWork.runAll();
    return sendAdminJson(reply, 200, clockAnswer(clock, ran));
  });
};
