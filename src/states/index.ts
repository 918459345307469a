import { foldName } from './fold.js';
import { stateFromAnyLanguage } from './names.js';
import { UN_STATES, type StateInfo } from './un-states.js';

export { foldName };

export { UN_STATES, type StateInfo };

const byIso3 = new Map(UN_STATES.map((s) => [s.iso3, s]));
const byName = new Map<string, StateInfo>();
for (const s of UN_STATES) {
  byName.set(foldName(s.name), s);
  byName.set(foldName(s.formalName.replace(/^the /, '')), s);
  byName.set(foldName(s.inText.replace(/^the /, '')), s);
}

/** A State named by its ISO3 code or its UN short or formal name (case and accents ignored). */
export function findState(query: string): StateInfo | undefined {
  const q = query.trim();
  if (/^[A-Za-z]{3}$/.test(q)) {
    const hit = byIso3.get(q.toUpperCase());
    if (hit) return hit;
  }
  const hit = byName.get(foldName(q.replace(/^the\s+/i, '')));
  if (hit) return hit;
  const iso3 = stateFromAnyLanguage(q);
  return iso3 ? byIso3.get(iso3) : undefined;
}

/** States whose names start like the query: for suggestions in error messages. */
export function suggestStates(query: string, limit = 3): StateInfo[] {
  const q = foldName(query);
  if (!q) return [];
  const starts = UN_STATES.filter((s) => foldName(s.name).startsWith(q.slice(0, 3)));
  return starts.slice(0, limit);
}

export type UncacStatus = 'party' | 'signatory' | 'neither';

/** A State's relation to the UN Convention against Corruption on a date (ISO yyyy-mm-dd). */
export function uncacStatusOn(state: StateInfo, isoDate: string): UncacStatus {
  if (state.uncacRatified && state.uncacRatified <= isoDate) return 'party';
  if (state.uncacSigned && state.uncacSigned <= isoDate) return 'signatory';
  return 'neither';
}
