import type { LeakPattern } from '../toolchain.ts';

/** What a JVM server's error body shows when it leaks internals. */
export const JAVA_LEAK_PATTERNS: readonly LeakPattern[] = [
  // Inside a JSON string a frame follows an escaped tab ("\tat …"), and quotes are escaped.
  { label: 'a Java stack frame', pattern: String.raw`(?:\b|\\t)at [\w$./]+\([\w$]+\.java:\d+\)` },
  { label: 'an uncaught Java exception', pattern: String.raw`Exception in thread \\?"` },
  // Spring Boot's default error view; with server.error.include-stacktrace it also holds frames.
  { label: "Spring's Whitelabel Error Page", pattern: 'Whitelabel Error Page' },
];
