import { randomBytes } from 'node:crypto';
import type { AuthorizationParams, SignedInUser } from '../../domain/oauth/authorization.js';
import type { OAuthRepository } from '../../domain/ports.js';
import type { DeveloperHint } from '../consent-page.js';

/** How long the consent step after a sign-in stays open (as long as the page's CSRF cookie). */
export const SIGN_IN_TICKET_MS = 10 * 60_000;
const MAX_TICKETS = 10_000;

/**
 * Sign-ins waiting for their consent (D25): a random single-use ticket, bound to the
 * authorization request it was made for, held in this process's memory. A ticket redeemed on
 * another node, or after a restart, is unknown: the page asks to sign in again.
 */
export class SignInTickets {
  readonly #byTicket = new Map<string, { user: SignedInUser; request: string; expiresAt: number }>();

  issue(user: SignedInUser, request: string, now: number): string {
    for (const [t, v] of this.#byTicket) if (v.expiresAt <= now) this.#byTicket.delete(t);
    // Bounded: under a flood of sign-ins the oldest open consent steps go first.
    while (this.#byTicket.size >= MAX_TICKETS) this.#byTicket.delete(this.#byTicket.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    this.#byTicket.set(ticket, { user, request, expiresAt: now + SIGN_IN_TICKET_MS });
    return ticket;
  }

  /** The signed-in user, once: null when unknown, expired, or made for another request. */
  redeem(ticket: string, request: string, now: number): SignedInUser | null {
    const held = this.#byTicket.get(ticket);
    if (!held || held.request !== request) return null;
    this.#byTicket.delete(ticket);
    return held.expiresAt > now ? held.user : null;
  }
}

const PARAMETER_OF: Record<string, keyof AuthorizationParams> = {
  'Invalid Client': 'client_id',
  'Invalid Redirect Uri': 'redirect_uri',
  'Invalid Response Type': 'response_type',
  'Invalid OAuth Scope': 'scope',
};
const SHOWN_CHARS = 300;

/**
 * Which parameter of a refused authorization request was wrong, what was sent, and for a redirect
 * URI the client's registered ones: public facts about a public client that the developer needs,
 * and nothing secret (D25).
 */
export async function developerHint(
  oauth: OAuthRepository,
  title: string,
  params: AuthorizationParams,
): Promise<DeveloperHint | undefined> {
  const parameter = PARAMETER_OF[title];
  if (!parameter) return undefined;
  const given = params[parameter];
  const hint: DeveloperHint = {
    parameter,
    ...(given === undefined
      ? {}
      : { given: given.length > SHOWN_CHARS ? `${given.slice(0, SHOWN_CHARS)}…` : given }),
  };
  if (parameter === 'redirect_uri' && params.client_id) {
    const client = await oauth.findClient(params.client_id);
    if (client?.type === 'server') hint.registered = client.redirectUris;
  }
  return hint;
}
