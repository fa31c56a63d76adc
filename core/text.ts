/**
 * Anything a candidate's server sends may end up on a reviewer's terminal or page.
 * Strip C0/C1 controls (ANSI escapes, NUL, bell) but keep newlines and tabs.
 */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more chars]`;
}
