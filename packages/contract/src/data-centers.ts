/** The eight data centers Bigin documents, with their Zoho Accounts server and API domain. */
export const DATA_CENTERS = [
  { id: 'us', accountsServer: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' },
  { id: 'eu', accountsServer: 'https://accounts.zoho.eu', apiDomain: 'https://www.zohoapis.eu' },
  { id: 'au', accountsServer: 'https://accounts.zoho.com.au', apiDomain: 'https://www.zohoapis.com.au' },
  { id: 'in', accountsServer: 'https://accounts.zoho.in', apiDomain: 'https://www.zohoapis.in' },
  { id: 'cn', accountsServer: 'https://accounts.zoho.com.cn', apiDomain: 'https://www.zohoapis.com.cn' },
  { id: 'jp', accountsServer: 'https://accounts.zoho.jp', apiDomain: 'https://www.zohoapis.jp' },
  { id: 'sa', accountsServer: 'https://accounts.zoho.sa', apiDomain: 'https://www.zohoapis.sa' },
  { id: 'ca', accountsServer: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca' },
] as const;

export type DataCenterInfo = (typeof DATA_CENTERS)[number];
export type DataCenterId = DataCenterInfo['id'];
export const DATA_CENTER_IDS: readonly DataCenterId[] = DATA_CENTERS.map((dc) => dc.id);

export function isDataCenterId(value: string): value is DataCenterId {
  return (DATA_CENTER_IDS as readonly string[]).includes(value);
}

export function findDataCenter(id: DataCenterId): DataCenterInfo {
  const dc = DATA_CENTERS.find((d) => d.id === id);
  if (!dc) throw new Error(`unknown data center ${id}`);
  return dc;
}
