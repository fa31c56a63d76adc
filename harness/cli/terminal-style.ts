/**
 * Whether to colour a stream, by the usual conventions: NO_COLOR (any value) and
 * `--no-color` turn colour off, FORCE_COLOR turns it on, otherwise only a terminal that is
 * not "dumb" gets it. A pipe, a file or CI logs get plain text.
 */
export function wantsColour(stream: { isTTY?: boolean }, options: { noColor?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): boolean {
  if (options.noColor || env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const CODES = { green: [32, 39], red: [31, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] } as const;
export type Style = keyof typeof CODES;

/** A painter that is the identity when colour is off, so callers never branch. */
export function painter(enabled: boolean): (style: Style, text: string) => string {
  return (style, text) => (enabled ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text);
}
