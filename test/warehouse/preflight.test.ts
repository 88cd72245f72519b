import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReachableBy } from '../../src/warehouse/preflight.js';

// Real directories with real modes; the user is one that owns none of them.
const stranger = { user: 'postgres', uid: 54_321, gid: 54_321 };
let scratch: string;

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'preflight-'));
  await fs.chmod(scratch, 0o755);
  await fs.mkdir(path.join(scratch, 'home/project/node_modules/bin'), { recursive: true });
  await fs.mkdir(path.join(scratch, 'open/data'), { recursive: true });
  await fs.chmod(path.join(scratch, 'home'), 0o700);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('assertReachableBy', () => {
  it('passes when every directory on both ways can be entered', async () => {
    await expect(
      assertReachableBy(stranger, { binaries: path.join(scratch, 'open'), dataDir: path.join(scratch, 'open/data/new') }),
    ).resolves.toBeUndefined();
  });

  it('names a closed directory on the way to the binaries, and says a DATA_DIR elsewhere is not enough', async () => {
    const home = path.join(scratch, 'home');
    const check = assertReachableBy(stranger, {
      binaries: path.join(home, 'project/node_modules/bin'),
      dataDir: path.join(scratch, 'open/data'),
    });
    await expect(check).rejects.toThrow(
      `postgres cannot enter:\n  ${home} (mode 700), on the way to the PostgreSQL binaries in ${home}/project/node_modules/bin\nFix: chmod o+x ${home}\n  or move the project to a directory everyone can enter`,
    );
  });

  it('lets the owner in by the owner bit', async () => {
    const owner = { ...stranger, uid: process.getuid!(), gid: process.getgid!() };
    await expect(
      assertReachableBy(owner, { binaries: path.join(scratch, 'home/project'), dataDir: path.join(scratch, 'home/project') }),
    ).resolves.toBeUndefined();
  });
});
