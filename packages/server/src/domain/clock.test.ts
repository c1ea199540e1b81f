import { describe, expect, it } from 'vitest';
import { parseClockSetting, parseDuration, VirtualClock } from './clock.js';

const T = Date.parse('2026-01-01T00:00:00Z');

/** A real time that the test moves, so that "real" and "offset" can be told apart from frozen. */
function realTime(start: number) {
  let now = start;
  return { read: () => now, pass: (ms: number) => (now += ms) };
}

describe('VirtualClock', () => {
  it('real mode follows real time', () => {
    const real = realTime(T);
    const clock = new VirtualClock({ mode: 'real' }, real.read);
    real.pass(5000);
    expect(clock.state()).toEqual({ mode: 'real', now: T + 5000, offsetMs: 0 });
  });

  it('frozen mode stays put while real time passes, and moves only when advanced or set', () => {
    const real = realTime(T);
    const clock = new VirtualClock({ mode: 'frozen', at: T + 1 }, real.read);
    real.pass(60_000);
    expect(clock.now()).toBe(T + 1);
    clock.advance(3_600_000);
    expect(clock.state()).toEqual({
      mode: 'frozen',
      now: T + 1 + 3_600_000,
      offsetMs: 1 + 3_600_000 - 60_000,
    });
    clock.set(T);
    expect(clock.now()).toBe(T);
  });

  it('offset mode runs with real time, ahead or behind by the offset', () => {
    const real = realTime(T);
    const clock = new VirtualClock({ mode: 'offset', offsetMs: -1000 }, real.read);
    expect(clock.now()).toBe(T - 1000);
    real.pass(10);
    expect(clock.now()).toBe(T - 990);
    clock.apply({ mode: 'offset', at: T + 86_400_000 });
    real.pass(5);
    expect(clock.state()).toEqual({ mode: 'offset', now: T + 86_400_005, offsetMs: 86_399_990 });
  });

  it('reports the offset it was given even when real time ticks between two readings', () => {
    let now = T;
    // Every reading of real time is a millisecond later than the last.
    const clock = new VirtualClock({ mode: 'offset', offsetMs: 864_000_000 }, () => now++);
    expect(clock.state()).toMatchObject({ mode: 'offset', offsetMs: 864_000_000 });
    expect(clock.state().now - clock.state().offsetMs).toBeGreaterThan(T);
  });

  it('advancing a real clock makes it an offset clock that keeps running', () => {
    const real = realTime(T);
    const clock = new VirtualClock({ mode: 'real' }, real.read);
    clock.advance(1000);
    real.pass(1);
    expect(clock.state()).toEqual({ mode: 'offset', now: T + 1001, offsetMs: 1000 });
    clock.apply({ mode: 'real' });
    expect(clock.state()).toEqual({ mode: 'real', now: T + 1, offsetMs: 0 });
  });

  it('freezing without an instant freezes at the current reading', () => {
    const real = realTime(T);
    const clock = new VirtualClock({ mode: 'offset', offsetMs: 500 }, real.read);
    clock.apply({ mode: 'frozen' });
    real.pass(1000);
    expect(clock.now()).toBe(T + 500);
  });

  it('refuses to advance backwards', () => {
    expect(() => new VirtualClock().advance(-1)).toThrow(RangeError);
  });
});

describe('CLOCK setting and durations', () => {
  it('parses each form', () => {
    expect(parseClockSetting('real')).toEqual({ mode: 'real' });
    expect(parseClockSetting('frozen')).toEqual({ mode: 'frozen' });
    expect(parseClockSetting('2026-01-01T00:00:00Z')).toEqual({ mode: 'frozen', at: T });
    expect(parseClockSetting('2026-01-01T01:00:00+01:00')).toEqual({ mode: 'frozen', at: T });
    expect(parseClockSetting('from:2026-01-01T00:00:00.000Z')).toEqual({ mode: 'offset', at: T });
    for (const bad of ['', 'now', '2026-01-01', '2026-01-01T00:00:00', 'from:', 'from:real'])
      expect(parseClockSetting(bad)).toBeNull();
  });

  it('parses durations', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    for (const bad of ['', '1', 'h', '-1h', '1.5h', '1 h', '1w']) expect(parseDuration(bad)).toBeNull();
  });
});
