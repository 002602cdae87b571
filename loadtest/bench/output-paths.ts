import { fileURLToPath } from 'node:url';

/** Where full runs keep their results (committed). */
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** The generated document at the repository root. */
export const BENCHMARKS_FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

/** Where quick runs write instead, so a smoke run never replaces the committed figures (ignored by git). */
export const QUICK_DIR = fileURLToPath(new URL('../.tmp/quick/', import.meta.url));

/** Where `bench:profile-gateway` writes its CPU profiles and summaries (ignored by git). */
export const PROFILES_DIR = fileURLToPath(new URL('../.tmp/', import.meta.url));
