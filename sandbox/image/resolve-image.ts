import { HarnessError } from '../../core/errors.ts';
import type { Engine } from '../engine.ts';

export interface ResolvedImage {
  /** The image containers are created from. */
  name: string;
  id: string;
  /** Set when `name` stands in for the configured image (built offline by `grader image build`). */
  substituteFor: string | null;
}

/** The tag `grader image build` gives the local stand-in for a configured image. */
export function offlineImageName(configured: string): string {
  return `takehome-grader/${configured.replace(/^docker\.io\/(library\/)?/, '')}`;
}

async function inspectId(docker: Engine, name: string): Promise<string | null> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch {
    return null;
  }
}

async function tryPull(docker: Engine, name: string, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const stream = await docker.pull(name);
    await Promise.race([
      new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve()))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return await inspectId(docker, name);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The configured image if present, else its offline stand-in, else a pull; otherwise a clear error. */
export async function resolveImage(docker: Engine, configured: string, pullTimeoutMs = 120_000): Promise<ResolvedImage> {
  const present = await inspectId(docker, configured);
  if (present) return { name: configured, id: present, substituteFor: null };
  const substitute = offlineImageName(configured);
  const offline = await inspectId(docker, substitute);
  if (offline) return { name: substitute, id: offline, substituteFor: configured };
  const pulled = await tryPull(docker, configured, pullTimeoutMs);
  if (pulled) return { name: configured, id: pulled, substituteFor: null };
  throw new HarnessError(
    `image ${configured} is not present and could not be pulled; run \`npx grader image build\` to build ${substitute} offline`,
  );
}
