import type { LeakPattern } from '../toolchain.ts';

/** What a Go server's error body shows when it leaks a panic or its sources. */
export const GO_LEAK_PATTERNS: readonly LeakPattern[] = [
  { label: 'a Go panic', pattern: String.raw`\bpanic: ` },
  // No leading \b: inside a JSON string the header follows an escaped newline ("\ngoroutine").
  { label: 'a goroutine dump', pattern: String.raw`goroutine \d+ \[[\w ,]+\]` },
  { label: 'a Go source position', pattern: String.raw`\b[\w-]+\.go:\d+\b` },
];
