import type { LeakPattern } from '../toolchain.ts';

/** What a Node server's error body shows when it leaks internals. */
export const NODE_LEAK_PATTERNS: readonly LeakPattern[] = [
  { label: 'a stack frame', pattern: String.raw`\bat [\w.<>$]+ \(|\bat (?:file:\/\/)?\/[^\s]+:\d+:\d+|\bat node:` },
  { label: 'node_modules', pattern: 'node_modules' },
];
