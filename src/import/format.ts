import { extname } from 'node:path';

/** The file formats `npm run import` reads. */
export const IMPORT_FORMATS = ['csv', 'parquet'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The file's format: the one given (`--format`), else by its name (`.parquet`), else CSV. */
export function formatOf(file: string, format?: ImportFormat): ImportFormat {
  return format ?? (extname(file).toLowerCase() === '.parquet' ? 'parquet' : 'csv');
}
