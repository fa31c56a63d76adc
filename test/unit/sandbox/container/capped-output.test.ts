import { describe, expect, it } from 'vitest';
import { CappedOutput } from '../../../../sandbox/container/capped-output.ts';

describe('CappedOutput', () => {
  it('keeps everything while under the caps', () => {
    const out = new CappedOutput(10, 10);
    out.append(Buffer.from('hello '));
    out.append(Buffer.from('world'));
    expect(out.text()).toBe('hello world');
    expect(out.truncated).toBe(false);
  });

  it('keeps head and tail of a flood and counts what it dropped', () => {
    const out = new CappedOutput(5, 5);
    for (let i = 0; i < 10_000; i += 1) out.append(Buffer.from('0123456789'));
    expect(out.totalBytes).toBe(100_000);
    expect(out.truncated).toBe(true);
    expect(out.text()).toBe('01234\n… [99990 bytes omitted] …\n56789');
  });

  it('headText never splices the tail in', () => {
    const out = new CappedOutput(4, 4);
    out.append(Buffer.from('abcdefghij'));
    expect(out.headText()).toBe('abcd');
  });
});
