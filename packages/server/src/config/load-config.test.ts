import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'info',
      devSeed: true,
      defaultDataCenter: 'us',
      sqliteSynchronous: 'FULL',
    });
    expect(c.recycleBinRetentionMs).toBe(60 * 86_400_000);
    expect(c.fixture).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lets flags override the environment', () => {
    expect(loadConfig({ PORT: '1' }, { PORT: '2' }).port).toBe(2);
  });

  it('lists every invalid value at once', () => {
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', DEFAULT_DATA_CENTER: 'uk', DEV_SEED: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split('=')[0])).toEqual([
        'PORT',
        'LOG_LEVEL',
        'DEV_SEED',
        'DEFAULT_DATA_CENTER',
      ]);
    }
  });
});
