import { DATA_CENTERS, type DataCenterId } from '@bigin-attachments/contract';

/**
 * Which data center a request reached. A request whose Host is one of the real API domains
 * (`www.zohoapis.eu`, for users who point those names at this server) reaches that data center;
 * any other host reaches the configured default.
 */
export function createDataCenterResolver(
  defaultDataCenter: DataCenterId,
): (host: string | undefined) => DataCenterId {
  const byHost = new Map<string, DataCenterId>(
    DATA_CENTERS.map((dc) => [new URL(dc.apiDomain).hostname, dc.id]),
  );
  return (host) => {
    if (!host) return defaultDataCenter;
    const colon = host.lastIndexOf(':');
    const name = (colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host).toLowerCase();
    return byHost.get(name) ?? defaultDataCenter;
  };
}
