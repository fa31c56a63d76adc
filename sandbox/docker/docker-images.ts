import type Docker from 'dockerode';
import { z } from 'zod';
import type { Readable } from 'node:stream';
import type { ImageInfo, ImportSpec } from '../runtime/sandbox-runtime.ts';

/** The image as the engine has it; null when it has not. */
export async function inspectImage(docker: Docker, name: string): Promise<ImageInfo | null> {
  try {
    const inspected = await docker.getImage(name).inspect();
    return { name, id: inspected.Id, labels: inspected.Config?.Labels ?? {} };
  } catch {
    return null;
  }
}

/** Pulls within `timeoutMs`; false when the registry cannot be reached or has no such image. */
export async function pullImage(docker: Docker, name: string, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const stream = await docker.pull(name);
    await Promise.race([
      followProgress(docker, stream),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `docker import` with the spec as Dockerfile instructions (the only image config import takes).
 * Label values are quoted: a stand-in's note has spaces, which would split an unquoted LABEL.
 */
export async function importRootfs(docker: Docker, tarball: Readable, spec: ImportSpec): Promise<ImageInfo> {
  const changes = [
    ...Object.entries(spec.env ?? {}).map(([key, value]) => `ENV ${key}=${value}`),
    ...Object.entries(spec.labels ?? {}).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
    ...(spec.cmd ? [`CMD ${JSON.stringify(spec.cmd)}`] : []),
  ];
  const [repo, tag] = splitName(spec.name);
  const stream = await docker.importImage(tarball as unknown as NodeJS.ReadableStream, { repo, tag, changes });
  await followProgress(docker, stream);
  const imported = await inspectImage(docker, spec.name);
  if (!imported) throw new Error(`docker import finished but ${spec.name} is not there`);
  return imported;
}

/** `docker save` of one image, streamed. */
export async function saveImage(docker: Docker, name: string): Promise<Readable> {
  // dockerode types the archive as a NodeJS.ReadableStream; at run time it is the HTTP response, a Readable.
  return (await docker.getImage(name).get()) as unknown as Readable;
}

/** `docker load`; an archive the engine refuses is an error (a message in its progress stream). */
export async function loadImage(docker: Docker, archive: Readable): Promise<void> {
  const stream = await docker.loadImage(archive as unknown as NodeJS.ReadableStream, { quiet: true });
  await followProgress(docker, stream);
}

function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  // docker-modem passes errors reported inside the stream ({"error": …}) only to onProgress.
  let reported: string | null = null;
  return new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (error) => (error ? reject(error) : reported ? reject(new Error(reported)) : resolve()),
      (event: unknown) => {
        const parsed = progressErrorSchema.safeParse(event);
        if (parsed.success) reported ??= parsed.data.error;
      },
    ),
  );
}

const progressErrorSchema = z.object({ error: z.string().min(1) });

function splitName(name: string): [string, string] {
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? [name.slice(0, at), name.slice(at + 1)] : [name, 'latest'];
}
