/** Terminal escape sequences: CSI (colours, cursor moves), OSC (titles, links), and the two-byte forms. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/**
 * Anything a candidate's server sends may end up on a reviewer's terminal or page.
 * Terminal escape sequences are removed whole (a coloured log reads as its text, not as
 * clutter); other C0/C1 controls (NUL, bell) are dropped; newlines and tabs stay.
 */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(ESCAPES, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more chars]`;
}
