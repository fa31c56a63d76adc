import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The checkout (or installed package) root; built-in assignments and graders live under it. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILTIN_ASSIGNMENTS_DIR = path.join(PACKAGE_ROOT, 'assignments');
export const DEFAULT_ASSIGNMENT = 'rate-limited-items';
