import { readModel, type ModelKind } from '@engagement/contract/node';

export type { ModelKind };

/** Every member of the model's cubes and views, by full name, with its kind: read from schema/ YAML. */
export function modelMembers(): Map<string, ModelKind> {
  return new Map([...readModel().members.values()].map((m) => [m.name, m.kind]));
}
