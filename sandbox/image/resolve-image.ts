import { HarnessError } from '../../core/errors.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';

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

/** The configured image if present, else its offline stand-in, else a pull; otherwise a clear error. */
export async function resolveImage(runtime: SandboxRuntime, configured: string, pullTimeoutMs = 120_000): Promise<ResolvedImage> {
  const present = await runtime.findImage(configured);
  if (present) return { name: configured, id: present.id, substituteFor: null };
  const substitute = offlineImageName(configured);
  const offline = await runtime.findImage(substitute);
  if (offline) return { name: substitute, id: offline.id, substituteFor: configured };
  const pulled = await runtime.findImage(configured, { pull: true, pullTimeoutMs });
  if (pulled) return { name: configured, id: pulled.id, substituteFor: null };
  throw new HarnessError(
    `image ${configured} is not present and could not be pulled; run \`npx grader image build --all\` (every toolchain's stand-ins; plain \`npx grader image build\` makes only the assignment's) to build ${substitute} offline`,
  );
}
