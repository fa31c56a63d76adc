import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../../../core/redact.ts';

describe('redactCredentials', () => {
  it.each([
    ['https://user:tok3n@github.com/a/b.git', 'https://***@github.com/a/b.git'],
    ['HTTPS://tok3n@github.com/a/b.git', 'HTTPS://***@github.com/a/b.git'],
    ['ssh://git@example.com/a.git', 'ssh://***@example.com/a.git'],
    ['cannot clone https://u:p@h/x: fatal', 'cannot clone https://***@h/x: fatal'],
    ['https://h/x.git?access_token=tok3n&ref=main', 'https://h/x.git?access_token=***&ref=main'],
    ['https://h/x?X-Amz-Signature=abc123#frag', 'https://h/x?X-Amz-Signature=***#frag'],
    ['https://github.com/a/b.git', 'https://github.com/a/b.git'],
    ['mail me at bob@example.com', 'mail me at bob@example.com'],
  ])('%s', (input, expected) => {
    expect(redactCredentials(input)).toBe(expected);
    expect(redactCredentials(input)).not.toMatch(/tok3n|abc123/);
  });
});
