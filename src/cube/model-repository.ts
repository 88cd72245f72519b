import path from 'node:path';
import serverCore from '@cubejs-backend/server-core';

/**
 * Cube's FileRepository joins its path onto process.cwd() even when the path is absolute, so
 * `/abs/schema` becomes `<cwd>/abs/schema`. This one reads the directory it was given.
 */
export class ModelRepository extends serverCore.FileRepository {
  constructor(directory: string) {
    super(path.resolve(directory));
  }

  override localPath(): string {
    return this.repositoryPath;
  }
}
