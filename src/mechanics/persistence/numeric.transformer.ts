import { type ValueTransformer } from 'typeorm';

/** numeric columns come back from pg as strings; coordinates and ratings are served as JSON numbers. */
export const numericAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
