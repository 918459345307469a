import { foldName, unNames } from '../states/index.js';
import { parseReference } from '../references/format.js';
import type { SentNote } from '../references/records.js';
import type { Config } from '../workspace/config.js';
import type { Recipient } from '../workspace/recipients.js';
import { referencePattern } from '../references/format.js';
import type { ThreadMatch } from './thread.js';

export interface StateGuess {
  state: string;
  source: 'domain' | 'reference' | 'name';
  /** The words that gave it away, for the clerk. */
  evidence: string;
}

/** References written in free text (subject, file names), as written. */
export function citedReferences(config: Config, texts: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const t of texts) {
    if (!t) continue;
    const re = referencePattern(config.reference.format, config.reference.office, config.reference.series);
    for (const m of t.matchAll(re)) if (!out.includes(m[0].trim())) out.push(m[0].trim());
  }
  return out;
}

/** Whether `domain` is `known` or a subdomain of it (mail.bmeia.gv.at is bmeia.gv.at). */
function domainMatches(domain: string, known: string): boolean {
  return domain === known || domain.endsWith('.' + known);
}

/**
 * The State a reply comes from, from what the reply shows: the sender's e-mail domain
 * (recipients.csv `domains`), a reference only one State was sent (individual notes), or a
 * State's name in the subject or a file name. Undefined when nothing or more than one State fits.
 */
export function guessState(
  config: Config,
  recipients: Recipient[],
  sent: SentNote[],
  facts: { domains: string[]; texts: string[] },
): StateGuess | undefined {
  for (const d of facts.domains) {
    const hits = recipients.filter((r) => r.domains.some((k) => domainMatches(d, k)));
    if (hits.length === 1) return { state: hits[0]!.code, source: 'domain', evidence: d };
  }
  for (const cited of citedReferences(config, facts.texts)) {
    const p = parseReference(cited, config.reference.format, config.reference.office);
    if (!p) continue;
    const to = sent.filter(
      (n) =>
        n.dispatch.series === p.series &&
        n.dispatch.year === p.year &&
        n.dispatch.seq === p.seq &&
        (!p.variant || n.variant === p.variant),
    );
    const states = [...new Set(to.map((n) => n.recipient))];
    if (states.length === 1) return { state: states[0]!, source: 'reference', evidence: cited };
  }
  const text = ` ${facts.texts.map((t) => foldName(t)).join(' | ')} `;
  const found = new Map<string, string>();
  for (const r of recipients) {
    // Its UN names of any year too: a 2012 workspace says "Turkey", the reply may say "Türkiye".
    const others = r.category === 'organization' ? [] : unNames(r.code);
    const names = new Set(
      [r.name, r.inText, ...others]
        .map((n) => foldName(n.replace(/^the /i, '').replace(/\s*\(.*\)$/, '')))
        .filter((n) => n.length >= 4),
    );
    for (const n of names) if (text.includes(` ${n} `)) found.set(r.code, n);
  }
  // "Niger" is inside "Nigeria"'s text only as a whole word, and "Guinea" inside "Guinea-Bissau": keep the longest.
  const hits = [...found.entries()].sort((a, b) => b[1].length - a[1].length);
  if (hits.length === 0) return undefined;
  const [best, ...rest] = hits;
  if (rest.some(([, n]) => !best![1].includes(n))) return undefined; // two different States named
  return { state: best![0], source: 'name', evidence: best![1] };
}

/** The State taken for a reply, how, and what the clerk should check. */
export interface TakenState {
  state: string | null;
  /** flag, thread, domain, reference, name; null when none was found. */
  source: string | null;
  problems: string[];
}

/**
 * The State of a reply: the clerk's `--state` first; then the thread (the reply answers a message
 * nv dispatched to that recipient), stronger than the sender's domain, a cited reference or a
 * State's name; then those. When the thread and another clue disagree, the stronger wins and a
 * problem says so, for the clerk to check.
 */
export function threadState(
  flag: string | null,
  thread: ThreadMatch | undefined,
  guess: StateGuess | undefined,
): TakenState {
  const problems: string[] = [];
  const answered = thread && `<${thread.message.messageId}>`;
  if (thread && thread.others.length > 0)
    problems.push(
      `the thread also names nv's message(s) to ${[...new Set(thread.others.map((o) => o.recipient))].join(', ')}; the nearest, to ${thread.message.recipient}, was taken`,
    );
  if (flag) {
    if (thread && thread.message.recipient !== flag)
      problems.push(
        `--state ${flag} was taken, but the reply answers nv's message to ${thread.message.recipient} (${answered}); check it`,
      );
    return { state: flag, source: 'flag', problems };
  }
  if (thread) {
    const state = thread.message.recipient;
    if (guess && guess.state !== state)
      problems.push(
        `the reply answers nv's message to ${state} (${answered}), but its ${guess.source} (${guess.evidence}) points to ${guess.state}: ${state} was taken from the thread; check it and correct it with "nv reply set --state" if it is wrong`,
      );
    return { state, source: 'thread', problems };
  }
  return { state: guess?.state ?? null, source: guess?.source ?? null, problems };
}
