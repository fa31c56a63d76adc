import type { ProbeResult } from './probe-client.ts';

/** A short phrase for messages: "HTTP 429" or "timeout: no complete response within 5000 ms". */
export function describeResult(result: ProbeResult): string {
  return result.ok ? `HTTP ${result.status}` : result.error;
}
