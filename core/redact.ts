/**
 * Credentials in URLs (`https://user:token@host/...`) replaced by `***`, wherever a URL
 * may be shown: reports, summaries, logs, error messages. The clone itself still gets the
 * URL as given; nothing written or printed does.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(?::[^\s/@]*)?@/gi;

export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}
