import path from 'node:path';
import serverCore from '@cubejs-backend/server-core';
import { isMap, isSeq, parseDocument } from 'yaml';

type FileContent = Awaited<ReturnType<serverCore.FileRepository['dataSchemaFiles']>>[number];

/** Each cube of a YAML model file without its `pre_aggregations`. */
export function withoutPreAggregations(yamlSource: string): string {
  const document = parseDocument(yamlSource);
  const cubes = document.get('cubes');
  if (isSeq(cubes)) {
    for (const cube of cubes.items) if (isMap(cube)) cube.delete('pre_aggregations');
  }
  return document.toString();
}

/**
 * Cube's FileRepository joins its path onto process.cwd() even when the path is absolute, so
 * `/abs/schema` becomes `<cwd>/abs/schema`. This one reads the directory it was given, and can
 * serve the model with its pre-aggregations left out, so the same queries can be compared
 * with and without rollups.
 */
export class ModelRepository extends serverCore.FileRepository {
  constructor(
    directory: string,
    private readonly options: { preAggregations: boolean } = { preAggregations: true },
  ) {
    super(path.resolve(directory));
  }

  override localPath(): string {
    return this.repositoryPath;
  }

  override async dataSchemaFiles(includeDependencies?: boolean): Promise<FileContent[]> {
    const files = await super.dataSchemaFiles(includeDependencies);
    if (this.options.preAggregations) return files;
    return files.map((file) => (/\.ya?ml$/.test(file.fileName) ? { ...file, content: withoutPreAggregations(file.content) } : file));
  }
}
