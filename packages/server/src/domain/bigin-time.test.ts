import { describe, expect, it } from 'vitest';
import { formatBiginTime } from './bigin-time.js';

describe('formatBiginTime', () => {
  it('writes UTC with +00:00 and no milliseconds', () => {
    expect(formatBiginTime(Date.UTC(2026, 0, 15, 10, 0, 0, 999), 'UTC')).toBe('2026-01-15T10:00:00+00:00');
  });

  it('the UTC shortcut agrees with the Intl path (Etc/UTC) across the range it covers', () => {
    const instants = [
      0,
      1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      // Outside the shortcut: before 1970 and from year 10000 on.
      -1,
      Date.UTC(1969, 6, 20, 20, 17, 40),
      Date.UTC(10000, 0, 1),
    ];
    for (const ms of instants) expect(formatBiginTime(ms, 'UTC')).toBe(formatBiginTime(ms, 'Etc/UTC'));
  });

  it('writes other zones with their offset', () => {
    expect(formatBiginTime(Date.UTC(2026, 0, 15, 10, 0, 0), 'Asia/Kolkata')).toBe(
      '2026-01-15T15:30:00+05:30',
    );
  });
});
