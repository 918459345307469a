import { deadline } from './deadline.js';
import { delegationContact } from './delegation-contact.js';
import { duplicateParticipant } from './duplicate-participant.js';
import { headOfDelegation } from './head-of-delegation.js';
import { meetingChoice } from './meeting-choice.js';
import { emailScannedOnly } from './email-scanned-only.js';
import { knownState } from './known-state.js';
import { reference } from './reference.js';
import type { RuleId } from '../rule-ids.js';
import type { Finding, Rule, RuleContext, Severity } from './types.js';
import { unreadableFile } from './unreadable-file.js';

/** Every rule, in the order findings are listed. Adding a rule is one file and one line here. */
export const RULES: readonly Rule[] = [
  knownState,
  emailScannedOnly,
  deadline,
  unreadableFile,
  reference,
  delegationContact,
  meetingChoice,
  headOfDelegation,
  duplicateParticipant,
];

export type { Finding, Rule, RuleContext, Severity };

/**
 * Runs the rules with the severities of nv.yaml (`rules: {id: error|warning|off}`); findings on
 * a reply the clerk decided (accepted or refused, with a reason) are marked waived.
 */
export function runRules(
  ctx: RuleContext,
  overrides: Record<string, 'error' | 'warning' | 'off'>,
): Finding[] {
  // A decision on a reply waives the findings about the reply itself, not those about its delegation.
  const decided = new Set(ctx.replies.filter((r) => r.decision !== null).map((r) => r.id));
  const out: Finding[] = [];
  for (const rule of RULES) {
    const level = overrides[rule.id] ?? rule.defaultSeverity;
    if (level === 'off') continue;
    for (const f of rule.check(ctx))
      out.push({
        rule: rule.id,
        severity: level,
        participant: null,
        ...f,
        waived: f.reply !== null && !DELEGATION_RULES.has(rule.id) && decided.has(f.reply),
      });
  }
  return out;
}

/** Rules about delegation lists: a decision on the reply that carried the list does not waive them. */
export const DELEGATION_RULES: ReadonlySet<string> = new Set<RuleId>([
  'delegation-contact',
  'meeting-choice',
  'head-of-delegation',
  'duplicate-participant',
]);
