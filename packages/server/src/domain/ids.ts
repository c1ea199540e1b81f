import { randomInt } from 'node:crypto';

/**
 * Ids follow Bigin's shape: a 7-digit organisation prefix, then a 12-digit sequence
 * (`7618134000000648053`), 19 digits in all. The prefix is random per organisation, so one
 * organisation's ids say nothing about another's; within a data center prefixes are unique.
 */
export const ID_PREFIX_DIGITS = 7;
export const ID_SEQUENCE_DIGITS = 12;

/** Random prefix; capped so that every 19-digit id stays below 2^63 for clients that use int64. */
export function generateIdPrefix(): string {
  return String(randomInt(1_000_000, 9_200_000));
}

export function formatId(prefix: string, sequence: number): string {
  return prefix + String(sequence).padStart(ID_SEQUENCE_DIGITS, '0');
}

/** The sequence part of an id minted under `prefix`, or null if the id is not one of them. */
export function sequenceOf(prefix: string, id: string): number | null {
  if (id.length !== ID_PREFIX_DIGITS + ID_SEQUENCE_DIGITS || !id.startsWith(prefix)) return null;
  const n = Number(id.slice(ID_PREFIX_DIGITS));
  return Number.isSafeInteger(n) ? n : null;
}
