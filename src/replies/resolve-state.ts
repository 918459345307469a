import { foldName, unNames } from '../states/index.js';
import { parseReference } from '../references/format.js';
import type { SentNote } from '../references/records.js';
import type { Config } from '../workspace/config.js';
import type { Recipient } from '../workspace/recipients.js';
import { referencePattern } from '../references/format.js';

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
