import { describe, expect, it } from 'vitest';
import { stripControl } from '../../../core/text.ts';

describe('stripControl', () => {
  it('removes terminal escape sequences whole, not as replacement characters', () => {
    expect(stripControl('\u001b[32m✓\u001b[39m passed \u001b[2K\u001b[1G')).toBe('✓ passed ');
    expect(stripControl('\u001b]0;title\u0007log line')).toBe('log line');
    expect(stripControl('a\u0000b\u0007c')).toBe('abc');
    expect(stripControl('x')).not.toContain('\uFFFD');
  });

  it('keeps newlines, tabs and ordinary text', () => {
    expect(stripControl('line 1\n\tline 2\r\n')).toBe('line 1\n\tline 2\n');
  });
});
