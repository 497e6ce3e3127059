/** pg-boss's SQL texts, which the transitions bench sends through pgbench as pg-boss sends them. */
declare module 'pg-boss/src/plans' {
  /** The INSERT that `send` runs, with its 19 parameters as `$1`…`$19`. */
  export function insertJob(schema: string): string;
}
