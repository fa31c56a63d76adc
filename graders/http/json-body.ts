import type { ProbeResponse } from './probe-client.ts';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** application/json, application/problem+json, or any other +json media type (RFC 6839). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_MEDIA_TYPE.test(contentType.trim());
}

/**
 * Why a response does not carry a JSON body, or null when it does. The error contract asks
 * for a JSON media type and a body that parses; both are checked so an HTML page that
 * happens to be labelled JSON fails too.
 */
export function jsonBodyProblem(response: ProbeResponse): string | null {
  const contentType = response.headers['content-type'];
  if (!isJsonMediaType(contentType)) return `Content-Type is ${contentType ? `"${contentType}"` : 'missing'}, not a JSON media type`;
  if (response.bodyBytes === 0) return 'the body is empty';
  if (response.json() === undefined) return 'the body does not parse as JSON';
  return null;
}
