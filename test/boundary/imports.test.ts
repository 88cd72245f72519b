import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundaryViolations, sourceFiles, specifiersOf } from './imports.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('the import boundary between the runtime, the plugin and contract/', () => {
  it('holds for every .ts and .tsx file of the repository', () => {
    // This file's planted violations below are text, not imports.
    const files = sourceFiles(repoRoot).filter((f) => f.path !== 'test/boundary/imports.test.ts');
    expect(files.filter((f) => f.path.startsWith('plugin/')).length).toBeGreaterThan(50);
    expect(files.filter((f) => f.path.startsWith('src/')).length).toBeGreaterThan(30);
    expect(boundaryViolations(files)).toEqual([]);
  });

  it('finds static, multi-line, dynamic, require, vi.mock and new URL(…, import.meta.url) imports', () => {
    const text = [
      "import { a } from './a';",
      'import {\n  b,\n  type C,\n} from "../b.js";',
      "export * from './c';",
      "import './d';",
      "const e = await import('./e.js');",
      "const f = require('./f');",
      "vi.mock('./g', () => ({}));",
      "const h = new URL('../h.ts', import.meta.url);",
    ].join('\n');
    expect(specifiersOf(text).sort()).toEqual(['../b.js', '../h.ts', './a', './c', './d', './e.js', './f', './g']);
  });

  it('fails on planted violations in either direction, and in contract/', () => {
    const planted = [
      { path: 'bench/board.ts', text: "const m = await import(new URL('../plugin/scripts/dashboard-queries.ts', import.meta.url).href);" },
      { path: 'test/x.test.ts', text: "import { buildCubeQuery } from '../plugin/src/datasource/buildCubeQuery';" },
      { path: 'plugin/src/shared/benchmark.ts', text: "export { bandOf } from '../../../src/model/benchmark';" },
      { path: 'plugin/tests/live/setup.ts', text: "import { workedExamples } from '../../../seeds/worked-examples.js';" },
      { path: 'plugin/scripts/x.ts', text: "const v = await import('../../migrations/index.js');" },
      { path: 'contract/src/x.ts', text: "import { startStack } from '../../src/runtime/stack.js';" },
      { path: 'migrations/x.ts', text: "import type { Dashboard } from 'engagement-grafana-app/src/x';" },
    ];
    expect(boundaryViolations(planted).map((v) => v.file)).toEqual(planted.map((p) => p.path));
  });

  it('allows each side its own code, its packages and the contract', () => {
    const fine = [
      {
        path: 'src/cube/server.ts',
        text: "import { validateKpiMeta } from '@engagement/contract';\nimport { x } from '../../migrations/index.js';",
      },
      {
        path: 'plugin/src/datasource/meta.ts',
        text: "import { readModel } from '@engagement/contract/node';\nimport { z } from 'zod';\nimport { b } from '../shared/benchmark';",
      },
      { path: 'contract/src/index.ts', text: "export * from './benchmark.js';" },
    ];
    expect(boundaryViolations(fine)).toEqual([]);
  });
});
