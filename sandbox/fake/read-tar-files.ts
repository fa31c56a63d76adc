import type { Readable } from 'node:stream';
import { Parser } from 'tar';

/** The regular files of an uncompressed tar, by path (without a leading "./"). */
export async function readTarFiles(tar: Readable): Promise<Map<string, Buffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const files = new Map<string, Buffer>();
  const parser = new Parser({
    onReadEntry: (entry) => {
      // The parser waits for every entry to be read, directories included.
      if (entry.type !== 'File') {
        entry.resume();
        return;
      }
      const data: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => data.push(chunk));
      entry.on('end', () => files.set(entry.path.replace(/^\.\//, ''), Buffer.concat(data)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(Buffer.concat(chunks));
  });
  return files;
}
