import type { LoadSettings } from '../core/load.ts';

/** Who the load traffic claimed to be, in words: a per-identity limiter's state depends on it. */
export function loadTraffic(settings: LoadSettings): string {
  const { header, count } = settings.identities;
  if (header === null) return 'every connection from the prober\'s one address (identity is the client address)';
  return `${count} ${header} value${count === 1 ? '' : 's'}, one per connection, as separate clients`;
}
