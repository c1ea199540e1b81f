import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { NotificationSettings } from '../config/schema.js';

/**
 * The SSRF rule of D12: a callback may go to a loopback, private, link-local or otherwise
 * non-public address only when the operator allows it. `auto` allows them while the server
 * listens on loopback alone (the development default), where only the machine's own users can
 * subscribe anyway; a shared instance on any other interface refuses them, so that nobody can use
 * it to probe the network it sits in.
 */
export type NotifyUrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

export interface NotifyUrlGuard {
  check(url: string): Promise<NotifyUrlVerdict>;
  /** Whether non-public addresses are allowed at all. */
  readonly allowsPrivate: boolean;
}

const LOOPBACK_HOSTS = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

export function listensOnLoopbackOnly(host: string): boolean {
  return LOOPBACK_HOSTS.test(host.replace(/^\[|\]$/g, ''));
}

/** Public unicast only; IPv4-mapped IPv6 is judged as the IPv4 address it carries. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export function createNotifyUrlGuard(
  settings: Pick<NotificationSettings, 'privateUrls'>,
  serverHost: string,
  resolve: (host: string) => Promise<string[]> = async (host) =>
    (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
): NotifyUrlGuard {
  const allowsPrivate =
    settings.privateUrls === 'allow' ||
    (settings.privateUrls === 'auto' && listensOnLoopbackOnly(serverHost));
  return {
    allowsPrivate,
    async check(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { ok: false, reason: 'not a URL' };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not http(s)' };
      if (url.username || url.password) return { ok: false, reason: 'credentials in the URL' };
      if (allowsPrivate) return { ok: true, url };
      const host = url.hostname.replace(/^\[|\]$/g, '');
      let addresses: string[];
      try {
        addresses = isIP(host) ? [host] : await resolve(host);
      } catch {
        return { ok: false, reason: 'host name does not resolve' };
      }
      // Every address the name resolves to must be public: one private answer is enough to probe.
      if (addresses.length === 0 || !addresses.every(isPublicAddress))
        return { ok: false, reason: 'non-public address refused (NOTIFY_PRIVATE_URLS)' };
      return { ok: true, url };
    },
  };
}
