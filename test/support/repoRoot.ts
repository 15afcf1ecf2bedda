import { join } from 'node:path';

/** The checkout's root, for tests that run a CLI or read a committed file; one place, so tests can move. */
export const REPO_ROOT = join(__dirname, '..', '..');
