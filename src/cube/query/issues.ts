import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `filters[0].or[2].values[1]` from zod's path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

/** The first issue, with unknown keys said in our words. */
function mainIssue(issue: Issue): { path: PropertyKey[]; message: string } {
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}` };
  }
  return { path, message: issue.message };
}

/** "Invalid query: filters[0].member: expected a member name …" */
export function describeIssue(error: z.ZodError, subject = 'query'): string {
  const { path, message } = mainIssue(error.issues[0]!);
  const where = fieldPath(path);
  return `Invalid ${subject}: ${where ? `${where}: ` : ''}${message}.`;
}
