import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `filters[0].or[2].values[1]` from zod's path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

const unknownKeys = (issues: Issue[]) => issues.filter((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0).reduce((n, issue) => n + (issue as { keys: string[] }).keys.length, 0);

/**
 * The one issue worth telling the client. A union (a filter or a filter group) reports every
 * branch's failures; the branch that knows the most of the object's keys is the one the client
 * meant, so its first issue is followed down.
 */
function mainIssue(issue: Issue, prefix: readonly PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length && issue.message === 'Invalid input') {
    const branch = [...issue.errors].sort((a, b) => unknownKeys(a) - unknownKeys(b))[0]!;
    if (branch[0]) return mainIssue(branch[0], path);
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}` };
  }
  return { path, message: issue.message };
}

/** "Invalid query: filters[0].member: expected a member name …" */
export function describeIssue(error: z.ZodError, subject = 'query'): string {
  const { path, message } = mainIssue(error.issues[0]!, []);
  const where = fieldPath(path);
  return `Invalid ${subject}: ${where ? `${where}: ` : ''}${message}.`;
}
