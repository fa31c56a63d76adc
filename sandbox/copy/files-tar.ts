import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { packPlan, type TarOwner } from './pack-directory.ts';

/**
 * A tar of a few harness-made files (the prober bundle, its input, the CA bundle), owned by
 * `owner`. Staged through a private temp dir so the same packer as the submission is used.
 */
export async function filesTar(files: Record<string, string | Buffer>, owner: TarOwner): Promise<Readable> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-files-'));
  try {
    const entries: string[] = [];
    for (const [name, content] of Object.entries(files)) {
      const target = path.join(dir, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content, { mode: 0o644 });
      entries.push(...parents(name), name);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of packPlan(dir, { entries: [...new Set(entries)], files: 0, bytes: 0, dropped: [] }, '', owner)) {
      chunks.push(chunk as Buffer);
    }
    return Readable.from([Buffer.concat(chunks)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parents(name: string): string[] {
  const parts = name.split('/').slice(0, -1);
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}
