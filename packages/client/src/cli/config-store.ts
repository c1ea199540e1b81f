import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One organisation/data center the CLI can talk to, and its credentials. */
export interface Profile {
  dataCenter?: string;
  apiDomain?: string;
  accountsServer?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** A cached (or, without a refresh token, fixed) access token. */
  accessToken?: string;
  /** Epoch ms. */
  accessTokenExpiresAt?: number;
  scope?: string;
}

export interface ConfigFile {
  defaultProfile?: string;
  profiles: Record<string, Profile>;
}

/**
 * The per-user config folder: `$BIGIN_CONFIG_DIR`, else the platform's (XDG on Linux,
 * Application Support on macOS, %APPDATA% on Windows).
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BIGIN_CONFIG_DIR) return env.BIGIN_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'bigin');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'bigin');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'bigin');
}

export class ConfigStore {
  readonly path: string;
  constructor(readonly dir: string) {
    this.path = join(dir, 'config.json');
  }

  async read(): Promise<ConfigFile> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as Partial<ConfigFile>;
      return { ...parsed, profiles: parsed.profiles ?? {} };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
      throw error;
    }
  }

  /**
   * Writes atomically (temporary file, then rename) with mode 0600 in a 0700 folder: the file
   * holds refresh tokens and client secrets.
   */
  async write(config: ConfigFile): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }

  async updateProfile(name: string, update: (p: Profile) => Profile): Promise<Profile> {
    const config = await this.read();
    const next = update(config.profiles[name] ?? {});
    config.profiles[name] = next;
    config.defaultProfile ??= name;
    await this.write(config);
    return next;
  }
}
