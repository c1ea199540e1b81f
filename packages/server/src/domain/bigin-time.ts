const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** 10000-01-01T00:00:00Z: toISOString writes years from 10000 on with six digits and a sign. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;

/**
 * Bigin's time format: ISO-8601 in the user's time zone with its offset and no milliseconds
 * (`2026-10-09T22:11:33+03:00`); UTC is written `+00:00`, as Bigin does, not `Z`. An unknown
 * zone falls back to UTC rather than failing a read.
 */
export function formatBiginTime(ms: number, timeZone: string): string {
  // UTC, the common case, without Intl: formatToParts was 9% of a list request's CPU profile.
  if (timeZone === 'UTC' && ms >= 0 && ms < MAX_FOUR_DIGIT_YEAR_MS)
    return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
  const zone = isKnownTimeZone(timeZone) ? timeZone : 'UTC';
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  // longOffset is "GMT" for a zero offset, else "GMT+05:30".
  const gmt = parts.timeZoneName ?? 'GMT';
  const offset = gmt === 'GMT' ? '+00:00' : gmt.slice(3);
  return `${(parts.year ?? '').padStart(4, '0')}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
