import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The settings that are secrets, wherever a process reads them. Each may instead be given as a
 * file, `<NAME>_FILE` (a Docker or Kubernetes secret mounted as a file), so no secret stands in
 * an environment listing, a compose file or `ps e`. AUDIT_CHECKPOINT_KEY is not here: it has
 * its own AUDIT_CHECKPOINT_KEY_FILE (gateway/audit/checkpointConfig.ts).
 */
export const SECRET_SETTINGS = ['SUBGRAPH_SECRET', 'READINESS_TOKEN', 'METRICS_TOKEN', 'DATABASE_URL', 'REDIS_URL'] as const;

/** `SUBGRAPH_SECRET` -> `SUBGRAPH_SECRET_FILE`. */
export function secretFileVariable(name: string): string {
  return `${name}_FILE`;
}

/** The secret settings among `names`. */
export function secretsAmong(names: Iterable<string>): string[] {
  const secret = new Set<string>(SECRET_SETTINGS);
  return [...names].filter((name) => secret.has(name));
}

/** The `<NAME>_FILE` variables of `names`, for a schema's shape, so a settings table lists them. */
export function secretFilesShape<T extends string>(names: readonly T[]): Record<`${T}_FILE`, z.ZodOptional<z.ZodString>> {
  return Object.fromEntries(names.map((name) => [secretFileVariable(name), z.string().optional()])) as Record<`${T}_FILE`, z.ZodOptional<z.ZodString>>;
}

/**
 * `env` with each secret of `names` given as a file read into it (one trailing newline dropped, as
 * `echo` writes one). Both the variable and its file set, an unreadable file, or an empty one
 * refuse the start, naming the variable and never the value.
 */
export function readSecretFiles(env: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  const resolved: NodeJS.ProcessEnv = { ...env };
  for (const name of names) {
    const fileVariable = secretFileVariable(name);
    const path = env[fileVariable];
    if (path === undefined || path === '') continue;
    if (env[name] !== undefined && env[name] !== '') throw new Error(`set ${name} or ${fileVariable}, not both`);
    let value: string;
    try {
      value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new Error(`${fileVariable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (value === '') throw new Error(`${fileVariable}: ${path} is empty`);
    resolved[name] = value;
  }
  return resolved;
}
