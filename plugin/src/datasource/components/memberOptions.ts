import type { ComboboxOption } from '@grafana/ui';
import type { Catalog, MemberKind } from '../meta';

/** Combobox options for members: the title to read, the cube or view as group, the description to search. */
export function memberOptions(catalog: Catalog | undefined, kinds: MemberKind | MemberKind[]): Array<ComboboxOption<string>> {
  if (!catalog) return [];
  return catalog.list(kinds).map((m) => ({
    value: m.name,
    label: m.title,
    group: m.group,
    description: [m.description, m.benchmark && 'bands' in m.benchmark ? 'has a benchmark' : undefined, m.name].filter(Boolean).join(' · '),
  }));
}

/** Options for members that may not be in the catalog (variables, members removed from the model). */
export function withCurrent(options: Array<ComboboxOption<string>>, current: string[]): Array<ComboboxOption<string>> {
  const known = new Set(options.map((o) => o.value));
  return [
    ...options,
    ...current.filter((c) => c && !known.has(c)).map((value) => ({ value, label: value, description: 'not in this data source’s model' })),
  ];
}
