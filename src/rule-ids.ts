/**
 * The ids of the rules in src/rules/, which nv.yaml may name under `rules:`. They live apart from
 * the rules so that the workspace's config can check nv.yaml without importing the rules, which
 * read the config: no cycle between workspace/ and rules/. A rule's id is typed `RuleId`, and a
 * test checks that each id here has its rule.
 */
export const RULE_IDS = [
  'known-state',
  'email-scanned-only',
  'deadline',
  'unreadable-file',
  'reference',
  'delegation-contact',
  'meeting-choice',
  'head-of-delegation',
  'duplicate-participant',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** Rule ids nv.yaml may name, in the order findings are listed. */
export function knownRuleIds(): string[] {
  return [...RULE_IDS];
}
