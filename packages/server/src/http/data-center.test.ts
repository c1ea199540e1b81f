import { describe, expect, it } from 'vitest';
import { createDataCenterResolver } from './data-center.js';

describe('data center of a request', () => {
  const resolve = createDataCenterResolver('us');
  it.each([
    ['www.zohoapis.eu', 'eu'],
    ['WWW.ZOHOAPIS.COM.AU:443', 'au'],
    ['www.zohoapis.com.cn', 'cn'],
    ['www.zohoapis.ca', 'ca'],
    ['localhost:8080', 'us'],
    ['[::1]:8080', 'us'],
    [undefined, 'us'],
  ])('%s is %s', (host, dc) => {
    expect(resolve(host)).toBe(dc);
  });
});
