export interface Backend {
  name: 'pglite' | 'postgres';
  /** undefined: PGlite in memory. */
  url: string | undefined;
}

/** The databases a persistence test runs against: PGlite always; PostgreSQL too when DATABASE_URL names a server. */
export const BACKENDS: Backend[] = [
  { name: 'pglite', url: undefined },
  ...(process.env.DATABASE_URL && /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL)
    ? [{ name: 'postgres' as const, url: process.env.DATABASE_URL }]
    : []),
];
