import type { CheckParams } from '../../core/check-params.ts';
import type { CheckContext } from '../check.ts';

/**
 * Who a request claims to be, to the server's rate limiter: an identity header's value, a
 * loopback source address, or both (header-or-ip sends the header from its own address).
 */
export interface Identity {
  label: string;
  headers: Record<string, string>;
  localAddress?: string;
}

let nextAddress = 0;

/**
 * A loopback address no other client of this prober used. All of 127.0.0.0/8 is local in
 * the candidate's namespace, so each is a distinct client IP to the server; 127.0.0.x is
 * left alone (127.0.0.1 is the default source, 127.0.0.254 the readiness probe's).
 */
export function freshAddress(): string {
  nextAddress += 1;
  const n = nextAddress;
  return `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${1 + (n % 250)}`;
}

/** A new client as the assignment's identity mode defines one. */
export function freshIdentity(ctx: CheckContext, label: string): Identity {
  const { identity, identityHeader } = ctx.params.rateLimit;
  if (identity === 'ip') {
    const address = freshAddress();
    return { label: `client ${address}`, headers: {}, localAddress: address };
  }
  const key = `${label}-${ctx.nonce}-${Math.random().toString(36).slice(2, 8)}`;
  // Keys share the default source address on purpose: a limiter keyed by address alone
  // then shows up in the isolation check as two keys sharing one budget.
  return { label: `key ${key}`, headers: { [identityHeader]: key } };
}

/** A client without the identity header, from an address of its own (per-IP budgets). */
export function freshAddressIdentity(): Identity {
  const address = freshAddress();
  return { label: `key-less client ${address}`, headers: {}, localAddress: address };
}

export const identityNoun = (ctx: CheckContext): string => (ctx.params.rateLimit.identity === 'ip' ? 'client IP' : `${ctx.params.rateLimit.identityHeader} value`);

/**
 * How a check instance spreads its requests when the budget is fixed in code: a new
 * client every `max - 1` requests, so seeding 50 items under "10 per minute" is never
 * what a pagination check measures. null when the budget can be relaxed instead.
 */
export function spreadForFixedBudget(
  params: CheckParams,
  instance: string,
  nonce: string,
): { every: number; next: () => { headers: Record<string, string>; localAddress?: string } } | null {
  const { fixed, max, identity, identityHeader } = params.rateLimit;
  if (!fixed || instance === 'rate_limit') return null;
  return {
    every: Math.max(1, max - 1),
    next: () => {
      // Addresses and keys come from one counter per prober, so checks sharing an instance never share a client.
      const address = freshAddress();
      if (identity === 'ip') return { headers: {}, localAddress: address };
      return { headers: { [identityHeader]: `tg-spread-${nonce}-${address}` } };
    },
  };
}
