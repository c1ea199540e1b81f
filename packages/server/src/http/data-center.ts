import { DATA_CENTERS, type DataCenterId, findDataCenter } from '@bigin-attachments/contract';
import type { DataCenterUrls } from '../config/data-center-settings.js';

export interface DataCenterUrlSet {
  apiDomain: string;
  accountsServer: string;
}

/**
 * The served data centers and the URLs clients are told for each. Local listening URLs are known
 * only once the ports are bound, so the composition root records them as it listens.
 */
export class DataCenterDirectory {
  readonly served: ReadonlySet<DataCenterId>;
  readonly #urls: DataCenterUrls;
  readonly #local = new Map<DataCenterId, string>();
  readonly #byHost: Map<string, DataCenterId>;

  constructor(served: readonly DataCenterId[], urls: DataCenterUrls = { mode: 'local' }) {
    this.served = new Set(served);
    this.#urls = urls;
    this.#byHost = new Map(
      DATA_CENTERS.filter((dc) => this.served.has(dc.id)).flatMap((dc) => [
        [new URL(dc.apiDomain).hostname, dc.id] as const,
        [new URL(dc.accountsServer).hostname, dc.id] as const,
      ]),
    );
  }

  /** Records the URL at which this process serves `dataCenter` (its own port). */
  setLocalUrl(dataCenter: DataCenterId, url: string): void {
    this.#local.set(dataCenter, url);
  }

  localUrl(dataCenter: DataCenterId): string | undefined {
    return this.#local.get(dataCenter);
  }

  /**
   * The data center a request reached: the one whose real API or accounts host name the Host
   * header carries (when served), else the data center of the port it came in on.
   */
  resolve(host: string | undefined, portDataCenter: DataCenterId): DataCenterId {
    if (!host) return portDataCenter;
    const colon = host.lastIndexOf(':');
    const name = (colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host).toLowerCase();
    return this.#byHost.get(name.endsWith('.') ? name.slice(0, -1) : name) ?? portDataCenter;
  }

  /**
   * Where clients should reach `dataCenter`: a configured public URL, else this process's own
   * listening URL for it, else (no port of its own: reachable only by host name) the real Zoho URLs.
   */
  urls(dataCenter: DataCenterId): DataCenterUrlSet {
    const zoho = findDataCenter(dataCenter);
    const real = { apiDomain: zoho.apiDomain, accountsServer: zoho.accountsServer };
    if (this.#urls.mode === 'zoho') return real;
    const base =
      (this.#urls.mode === 'explicit' ? this.#urls.urls[dataCenter] : undefined) ??
      this.#local.get(dataCenter);
    return base ? { apiDomain: base, accountsServer: base } : real;
  }
}

/**
 * Which data center a request reached, from its Host header alone: a real API or accounts host
 * name reaches that data center; any other host reaches `defaultDataCenter`.
 */
export function createDataCenterResolver(
  defaultDataCenter: DataCenterId,
  directory: DataCenterDirectory = new DataCenterDirectory(DATA_CENTERS.map((dc) => dc.id)),
): (host: string | undefined) => DataCenterId {
  return (host) => directory.resolve(host, defaultDataCenter);
}
