/**
 * One path segment of an API URL. `fetch` resolves `.` and `..` even when they arrive as
 * segments of their own, so `attachments.delete('Contacts', '..', '5')` would otherwise send
 * `DELETE /bigin/v2/Attachments/5`; an empty segment would shift the path the same way.
 */
export function pathSegment(value: string): string {
  if (value === '' || value === '.' || value === '..')
    throw new RangeError(`not a valid path segment: ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}
