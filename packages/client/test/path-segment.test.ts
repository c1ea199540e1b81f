import { describe, expect, it } from 'vitest';
import { BiginClient } from '../src/index.js';

describe('path segments', () => {
  const sent: string[] = [];
  const client = new BiginClient({ apiDomain: 'http://127.0.0.1:1' }, 'token', {
    maxRetries: 0,
    fetch: async (input: string | URL | Request) => {
      sent.push(String(input));
      return new Response(
        '{"data":[{"code":"SUCCESS","details":{"id":"5"},"message":"ok","status":"success"}]}',
        { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' } },
      );
    },
  });

  it.each(['..', '.', ''])(
    'refuses %j as a module, record or attachment id before sending anything',
    async (bad) => {
      await expect(client.attachments.delete('Contacts', bad, '5')).rejects.toThrow(RangeError);
      await expect(client.attachments.delete(bad as 'Contacts', '1', '5')).rejects.toThrow(RangeError);
      await expect(client.attachments.delete('Contacts', '1', bad)).rejects.toThrow(RangeError);
      expect(sent).toEqual([]);
    },
  );

  it('encodes other values as one segment', async () => {
    await client.attachments.delete('Contacts', '../x', '5').catch(() => {});
    expect(sent.at(-1)).toContain('/bigin/v2/Contacts/..%2Fx/Attachments/5');
  });
});
