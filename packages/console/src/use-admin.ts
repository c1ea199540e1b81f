import { useCallback, useEffect, useState } from 'preact/hooks';
import { AdminError, admin } from './api.js';

export interface SectionProps {
  /** The key was refused: back to the sign-in form. */
  onUnauthorized: () => void;
}

/** Loads `path` now and on `reload()`; an error is shown, a refused key signs out. */
export function useAdminGet<T>(path: string, props: SectionProps) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await admin<T>('GET', path));
      setError(null);
    } catch (e) {
      if (e instanceof AdminError && e.status === 401) props.onUnauthorized();
      else setError(e instanceof Error ? e.message : String(e));
    }
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload, setError };
}

/** Runs an admin call from a button: its error goes where the section shows errors. */
export async function act(
  run: () => Promise<unknown>,
  setError: (message: string | null) => void,
  after?: () => unknown,
): Promise<void> {
  try {
    await run();
    setError(null);
    await after?.();
  } catch (e) {
    setError(e instanceof Error ? e.message : String(e));
  }
}
