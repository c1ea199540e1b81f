import { DATA_CENTER_IDS, type DataCenterId, isDataCenterId } from '@bigin-attachments/contract';
import { z } from 'zod';

/** Which extra ports serve which data center (docs/oauth.md). */
export type DataCenterPorts =
  | { mode: 'consecutive' }
  | { mode: 'none' }
  | { mode: 'explicit'; ports: Partial<Record<DataCenterId, number>> };

/** Public base URLs, per data center, that responses point clients to. */
export type DataCenterUrls =
  | { mode: 'local' }
  | { mode: 'zoho' }
  | { mode: 'explicit'; urls: Partial<Record<DataCenterId, string>> };

/** `dc=value` pairs separated by commas; every dc a known id, none twice. */
function pairs<T>(
  raw: string,
  value: (v: string, ctx: z.RefinementCtx) => T | typeof z.NEVER,
  ctx: z.RefinementCtx,
) {
  const out: Partial<Record<DataCenterId, T>> = {};
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    const dc = eq > 0 ? item.slice(0, eq).trim().toLowerCase() : '';
    if (!isDataCenterId(dc)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" is not <data center>=<value> with a data center among ${DATA_CENTER_IDS.join(', ')}`,
      });
      return z.NEVER;
    }
    if (dc in out) {
      ctx.addIssue({ code: 'custom', message: `${dc} is given twice` });
      return z.NEVER;
    }
    const v = value(item.slice(eq + 1).trim(), ctx);
    if (v === z.NEVER) return z.NEVER;
    out[dc] = v as T;
  }
  return out;
}

export const dataCentersSchema = z
  .string()
  .trim()
  .transform((raw, ctx): DataCenterId[] => {
    if (raw.toLowerCase() === 'all') return [...DATA_CENTER_IDS];
    const ids = raw
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const bad = ids.filter((id) => !isDataCenterId(id));
    if (bad.length > 0 || ids.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be "all" or a comma-separated list of ${DATA_CENTER_IDS.join(', ')}`,
      });
      return z.NEVER;
    }
    return DATA_CENTER_IDS.filter((id) => ids.includes(id));
  });

export const dataCenterPortsSchema = z
  .string()
  .trim()
  .transform((raw, ctx): DataCenterPorts => {
    const lower = raw.toLowerCase();
    if (lower === 'consecutive') return { mode: 'consecutive' };
    if (lower === 'none') return { mode: 'none' };
    const ports = pairs(
      raw,
      (v, c) => {
        if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535) {
          c.addIssue({ code: 'custom', message: `port "${v}" must be a whole number from 0 to 65535` });
          return z.NEVER;
        }
        return Number(v);
      },
      ctx,
    );
    return ports === z.NEVER ? z.NEVER : { mode: 'explicit', ports };
  });

export const dataCenterUrlsSchema = z
  .string()
  .trim()
  .transform((raw, ctx): DataCenterUrls => {
    const lower = raw.toLowerCase();
    if (lower === 'local') return { mode: 'local' };
    if (lower === 'zoho') return { mode: 'zoho' };
    const urls = pairs(
      raw,
      (v, c) => {
        let url: URL;
        try {
          url = new URL(v);
        } catch {
          c.addIssue({ code: 'custom', message: `"${v}" is not a URL` });
          return z.NEVER;
        }
        if (
          (url.protocol !== 'http:' && url.protocol !== 'https:') ||
          url.search ||
          url.hash ||
          url.username
        ) {
          c.addIssue({
            code: 'custom',
            message: `"${v}" must be an http(s) base URL without query, fragment or credentials`,
          });
          return z.NEVER;
        }
        return v.replace(/\/+$/, '');
      },
      ctx,
    );
    return urls === z.NEVER ? z.NEVER : { mode: 'explicit', urls };
  });
