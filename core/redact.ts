/**
 * Credentials in URLs replaced by `***`, wherever a URL may be shown: reports, summaries,
 * logs, error messages. Both places a token travels in: the user-info
 * (`https://user:token@host/...`, any scheme, any case) and query parameters that name a
 * secret (`?access_token=...`). The clone itself still gets the URL as given; nothing
 * written or printed does.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(?::[^\s/@]*)?@/gi;
const SECRET_PARAMS = /([?&](?:access_token|private_token|oauth_token|token|auth|password|passwd|pass|secret|client_secret|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|x-goog-signature)=)[^&#\s]*/gi;

export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(SECRET_PARAMS, '$1***');
}
