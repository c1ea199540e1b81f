import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/http/redact-url.js';

describe('redactUrl', () => {
  it('hides the values of secret query parameters and keeps everything else', () => {
    expect(
      redactUrl(
        '/oauth/v2/token?grant_type=refresh_token&client_id=1000.ABC&client_secret=s3&refresh_token=1000.a.b&Code=c&x',
      ),
    ).toBe(
      '/oauth/v2/token?grant_type=refresh_token&client_id=1000.ABC&client_secret=[redacted]&refresh_token=[redacted]&Code=[redacted]&x',
    );
    expect(redactUrl('/oauth/v2/token/revoke?token=1000.a.b')).toBe(
      '/oauth/v2/token/revoke?token=[redacted]',
    );
    expect(redactUrl('/oauth/v2/auth?client_%73ecret=x&%zz=1')).toBe(
      '/oauth/v2/auth?client_%73ecret=[redacted]&%zz=1',
    );
    expect(redactUrl('/bigin/v2/Contacts/1/Attachments/2')).toBe('/bigin/v2/Contacts/1/Attachments/2');
  });

  it('hides authtoken and oauth_token, and token-shaped values anywhere', () => {
    expect(redactUrl('/x?authtoken=abc&oauth_token=def&a=1')).toBe(
      '/x?authtoken=[redacted]&oauth_token=[redacted]&a=1',
    );
    const tok = `1000.${'a1'.repeat(16)}.${'b2'.repeat(16)}`;
    expect(redactUrl(`/bigin/v2/${tok}/1?q=${tok}`)).toBe('/bigin/v2/[redacted]/1?q=[redacted]');
    expect(redactUrl(`/p/${tok.replace(/\./g, '%2E')}`)).toBe('/p/[redacted]');
  });
});
