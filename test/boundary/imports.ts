import fs from 'node:fs';
import path from 'node:path';

/**
 * The import boundary between the runtime and the plugin: the root's code (src/, bench/, seeds/,
 * test/, migrations/) and the plugin (plugin/) each import only themselves, their dependencies
 * and the shared contract/ package, which imports neither.
 */
const ROOT_AREAS = ['src', 'bench', 'seeds', 'test', 'migrations'];
const SKIP = new Set(['node_modules', 'dist', '.data', '.git', 'test-artifacts', 'coverage']);
const PACKAGE_NAMES = { root: 'engagement-metrics', plugin: 'engagement-grafana-app' } as const;

type Side = 'root' | 'plugin' | 'contract' | 'other';

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

// Static imports and re-exports, side-effect imports, import(), require(), vi.mock() and the
// `new URL('…', import.meta.url)` that a dynamic import can be handed.
const SPECIFIERS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  /\bvi\.mock\s*\(\s*['"]([^'"]+)['"]/g,
  /\bnew\s+URL\s*\(\s*['"`]([^'"`]+)['"`]\s*,\s*import\.meta\.url/g,
];

export function sideOf(file: string): Side {
  const top = file.split('/')[0]!;
  if (top === 'plugin') return 'plugin';
  if (top === 'contract') return 'contract';
  return ROOT_AREAS.includes(top) ? 'root' : 'other';
}

export function specifiersOf(text: string): string[] {
  return SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

/** Where a specifier points, relative to the repository root; bare package names stay as they are. */
function target(file: string, specifier: string): { path?: string; packageName?: string } {
  if (specifier.startsWith('.')) return { path: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) };
  if (specifier.startsWith('/') || specifier.startsWith('file:')) return { path: specifier };
  return { packageName: specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]! };
}

export function boundaryViolations(files: SourceFile[]): Violation[] {
  return files.flatMap((file) => {
    const from = sideOf(file.path);
    if (from === 'other') return [];
    return specifiersOf(file.text).flatMap((specifier): Violation[] => {
      const to = target(file.path, specifier);
      const toSide = to.path === undefined ? undefined : to.path.startsWith('..') ? 'outside' : sideOf(to.path);
      const forbidden: (Side | 'outside')[] =
        from === 'root' ? ['plugin'] : from === 'plugin' ? ['root', 'outside'] : ['root', 'plugin', 'outside'];
      const forbiddenPackages =
        from === 'root' ? [PACKAGE_NAMES.plugin] : from === 'plugin' ? [PACKAGE_NAMES.root] : [PACKAGE_NAMES.root, PACKAGE_NAMES.plugin];
      if (toSide !== undefined && forbidden.includes(toSide))
        return [
          {
            file: file.path,
            specifier,
            reason: `${from} code imports ${toSide === 'outside' ? 'outside the repository' : `${toSide} code`}`,
          },
        ];
      if (to.packageName && (forbiddenPackages as string[]).includes(to.packageName))
        return [{ file: file.path, specifier, reason: `${from} code imports the ${to.packageName} package` }];
      if (to.path?.startsWith('/') || to.path?.startsWith('file:'))
        return [{ file: file.path, specifier, reason: 'an absolute path hides which side it reaches' }];
      return [];
    });
  });
}

/** Every .ts and .tsx file of the repository, outside dependencies and build output. */
export function sourceFiles(repoRoot: string): SourceFile[] {
  return fs
    .readdirSync(repoRoot, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => /\.tsx?$/.test(file) && !file.split('/').some((part) => SKIP.has(part)))
    .map((file) => ({ path: file, text: fs.readFileSync(path.join(repoRoot, file), 'utf8') }));
}
