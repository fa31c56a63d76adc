import { detectToolchains, detectUnsupported, findToolchain, TOOLCHAINS } from '../../sandbox/toolchains/toolchains.ts';
import type { RepoFiles, Toolchain } from '../../sandbox/toolchains/toolchain.ts';

export type ToolchainChoice = { toolchain: Toolchain; because: string } | { toolchain: null; problem: string };

/**
 * Which toolchain grades this folder: the grader's explicit choice, else the one detection
 * is certain of, else (when the grader gave an image and a start command) the generic
 * command toolchain. Several certain matches are not guessed between.
 */
export function chooseToolchain(files: RepoFiles, options: { requested: string | null; imageAndStartGiven: boolean }): ToolchainChoice {
  const { requested } = options;
  if (requested !== null) {
    const toolchain = findToolchain(requested);
    if (!toolchain) return { toolchain: null, problem: `unknown toolchain "${requested}" (known: ${TOOLCHAINS.map((t) => t.id).join(', ')})` };
    return { toolchain, because: 'chosen by the grader' };
  }
  const found = detectToolchains(files);
  const certain = found.filter((match) => match.detection.confidence === 'certain');
  const pick = certain.length === 1 ? certain[0] : certain.length === 0 && found.length === 1 ? found[0] : undefined;
  if (pick) return { toolchain: pick.toolchain, because: `found ${pick.detection.because}` };
  if (found.length === 0 && options.imageAndStartGiven) {
    const command = findToolchain('command');
    if (command) return { toolchain: command, because: 'no toolchain detected; the grader gave an image and a start command' };
  }
  if (found.length > 1) {
    return { toolchain: null, problem: `several toolchains apply (${found.map((m) => `${m.toolchain.id}: ${m.detection.because}`).join('; ')}); choose one with --toolchain` };
  }
  const unsupported = detectUnsupported(files);
  if (unsupported) return { toolchain: null, problem: `${unsupported.title}: ${unsupported.because}; ${unsupported.hint}` };
  const lookedFor = TOOLCHAINS.flatMap((t) => (t.lookedFor ? [`${t.lookedFor} (${t.title})`] : [])).join(', ');
  return { toolchain: null, problem: `no toolchain applies at the root of the submission: looked for ${lookedFor}; to grade it anyway give an image and a start command` };
}
