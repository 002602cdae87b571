import type { z } from 'zod';

type IssuePath = readonly PropertyKey[];

/** `sources.profile.retry.maxAttempts`, `features[3].categories[0]`, `sources["odd key"]`; `(root)` when empty. */
export function formatIssuePath(path: IssuePath): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? '(root)' : text;
}

/**
 * One `path: message` line per problem. Unknown keys get a line each with the key in the path, so every line points
 * at the exact spot to fix.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatIssuePath([...issue.path, key])}: unknown key`);
    }
    if (issue.code === 'invalid_key') {
      const reasons = issue.issues.map((inner) => inner.message).join('; ');
      return [`${formatIssuePath(issue.path)}: invalid name: ${reasons}`];
    }
    return [`${formatIssuePath(issue.path)}: ${issue.message}`];
  });
}
