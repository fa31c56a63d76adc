// Lives in sandbox/ (the image builder caches there too, and sandbox must not import harness).
export { cacheDir } from '../sandbox/cache-dir.ts';
