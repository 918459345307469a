/**
 * Rules as data: one file per rule (id, default severity, check), listed in rules/index.ts.
 * A check reads the facts it needs from the context and returns findings; it never prints,
 * stores or throws for bad data (bad data is what it reports).
 */
import type { RuleId } from '../rule-ids.js';
import type { DelegationList } from '../delegations/lists.js';
import type { SentNote } from '../references/records.js';
import type { ReplyRecord } from '../replies/records.js';
import type { Config } from '../workspace/config.js';
import type { Recipient } from '../workspace/recipients.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  /** Recipient code of the State concerned, when known. */
  state: string | null;
  reply: number | null;
  participant: number | null;
  /** The file concerned, as the clerk knows it (its original name), when there is one. */
  file: string | null;
  message: string;
  /** What to do about it. */
  fix: string;
  /** The clerk decided on the reply (accepted or refused it, with a reason): the finding no longer counts. */
  waived: boolean;
}

export interface RuleContext {
  config: Config;
  recipients: Recipient[];
  sent: SentNote[];
  replies: ReplyRecord[];
  /** The current delegation list of each State. */
  delegations: DelegationList[];
  /** Formats a sent note's reference as printed. */
  referenceOf(note: SentNote): string;
}

/** What a check returns: the runner fills in the rule, the severity and `waived`. */
export type RawFinding = Omit<Finding, 'rule' | 'severity' | 'waived' | 'participant'> & {
  participant?: number | null;
};

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  description: string;
  check(ctx: RuleContext): RawFinding[];
}
