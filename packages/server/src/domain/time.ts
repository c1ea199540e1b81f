/**
 * Bigin renders times as ISO-8601 with an offset and no milliseconds
 * (`2026-10-09T22:11:33+03:00`). Users' time zones are not applied yet: every time is UTC.
 */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
