import type { LeakPattern } from '../toolchain.ts';

/** What a Python server's error body shows when it leaks internals (Flask/Django debug pages, raw tracebacks). */
export const PYTHON_LEAK_PATTERNS: readonly LeakPattern[] = [
  { label: 'a Python traceback', pattern: String.raw`Traceback \(most recent call last\)` },
  // Escaped or not: a traceback serialised into JSON keeps its quotes as \".
  { label: 'a Python stack frame', pattern: String.raw`File \\?"[^"\\]+\.py\\?", line \d+` },
  { label: 'site-packages', pattern: String.raw`[\\/](?:site|dist)-packages[\\/]` },
];
