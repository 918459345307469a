import type { z } from 'zod';

/** zod's own wording ("Too small: expected number to be >0") said as a sentence about the key. */
export function plainIssue(issue: z.core.$ZodIssue): string | undefined {
  if (!/^(Invalid input|Invalid option|Too small|Too big)/.test(issue.message)) return undefined;
  switch (issue.code) {
    case 'invalid_type': {
      const what: Record<string, string> = {
        string: 'text',
        number: 'a number',
        int: 'a whole number',
        array: 'a list',
        object: 'a mapping of keys',
        boolean: 'true or false',
      };
      return `must be ${what[issue.expected] ?? issue.expected}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'is empty; write a value';
      if (issue.origin === 'array') return 'must list at least one item';
      return `must be a whole number from ${issue.inclusive ? String(issue.minimum) : String(Number(issue.minimum) + 1)} up`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return undefined;
  }
}
