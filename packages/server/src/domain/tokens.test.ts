import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, parseAuthorizationHeader } from './tokens.js';

describe('parseAuthorizationHeader', () => {
  it.each([
    ['Zoho-oauthtoken 1000.abc.def', '1000.abc.def'],
    ['zoho-oauthtoken 1000.abc.def', '1000.abc.def'],
    ['Zoho-oauthtoken   1000.abc.def', '1000.abc.def'],
  ])('accepts %j', (header, token) => {
    expect(parseAuthorizationHeader(header)).toEqual({ token });
  });

  it.each([
    undefined,
    '',
    'Bearer 1000.abc',
    'Zoho-oauthtoken',
    'Zoho-oauthtoken ',
    'Zoho-oauthtoken a b',
    'Zoho-oauthtoken a\tb',
    '1000.abc.def',
    'Zoho-oauthtokenX 1',
  ])('refuses %j', (header) => {
    expect(parseAuthorizationHeader(header)).toHaveProperty('refusal');
  });
});

describe('tokens', () => {
  it('look like Zoho access tokens and differ every time', () => {
    const a = generateToken();
    expect(a).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    expect(generateToken()).not.toBe(a);
  });

  it('hash to SHA-256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
