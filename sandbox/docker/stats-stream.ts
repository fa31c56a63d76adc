import { workingSetBytes } from './working-set.ts';

/**
 * Reads the engine's streamed stats (one JSON document per line, about one a second) and
 * hands each working-set figure to `onSample`. Returns a function that stops following.
 */
export function followStats(stream: NodeJS.ReadableStream, onSample: (bytes: number) => void): () => void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) {
        try {
          const bytes = workingSetBytes(JSON.parse(line));
          if (bytes !== null) onSample(bytes);
        } catch {
          // A torn or foreign line: skip it, the next sample comes within a second.
        }
      }
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > 1_000_000) buffered = '';
  });
  stream.on('error', () => undefined);
  return () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
