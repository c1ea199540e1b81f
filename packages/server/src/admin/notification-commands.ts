import { type Command, InvalidArgumentError } from 'commander';
import { deliveryReport, MAX_DELIVERIES_LISTED } from '../notifications/delivery-report.js';
import type { Stores } from '../storage/create-stores.js';

type WithStores = <T>(cmd: Command, fn: (stores: Stores) => Promise<T>) => Promise<T>;

function limitOf(value: string): number {
  const n = Number(value);
  if (!/^[0-9]{1,4}$/.test(value) || n < 1 || n > MAX_DELIVERIES_LISTED)
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_DELIVERIES_LISTED}`);
  return n;
}

/** `admin notifications deliveries`: a channel's recent callbacks (docs/notifications.md). */
export function registerNotificationCommands(
  admin: Command,
  withStores: WithStores,
  print: (value: unknown) => void,
): void {
  admin
    .command('notifications')
    .description('Notification callbacks (the outbox and its delivery log).')
    .command('deliveries')
    .description('Recent callbacks, newest first: status, attempts, last response code and latency.')
    .option('--org <id>', 'only this organisation')
    .option('--channel <id>', 'only this channel')
    .option('--limit <n>', 'how many', limitOf, 50)
    .action(async (opts: { org?: string; channel?: string; limit: number }, cmd: Command) => {
      await withStores(cmd, async (stores) => {
        const entries = await stores.metadata.notifications.listDeliveries({
          orgId: opts.org ?? null,
          channelId: opts.channel ?? null,
          limit: opts.limit,
        });
        print({ deliveries: entries.map(deliveryReport) });
      });
    });
}
