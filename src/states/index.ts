import { formerNameInText, formerNames } from './as-at.js';
import { foldName } from './fold.js';
import { stateFromAnyLanguage } from './names.js';
import { UN_STATES, type StateInfo } from './un-states.js';

export { foldName };
export {
  CONVENTIONS,
  NAMES_FILE,
  TREATY_DATA_AS_OF,
  TREATY_FILE,
  stateNameOn,
  treatyStatusOn,
  type Convention,
  type StatusAsAt,
  type TreatyStatus,
} from './as-at.js';

export { UN_STATES, type StateInfo };
export { NAMES_I18N_FILE, stateNameIn, stateNameSource } from './names-i18n.js';

const byIso3 = new Map(UN_STATES.map((s) => [s.iso3, s]));
const byName = new Map<string, StateInfo>();
for (const s of UN_STATES) {
  byName.set(foldName(s.name), s);
  byName.set(foldName(s.formalName.replace(/^the /, '')), s);
  byName.set(foldName(s.inText.replace(/^the /, '')), s);
}

let formerIndexed = false;
/** Former UN names ("Turkey", "Swaziland", "Czech Republic"), indexed on first need. */
function byFormerName(folded: string): StateInfo | undefined {
  if (!formerIndexed) {
    formerIndexed = true;
    for (const s of UN_STATES)
      for (const n of formerNames(s.iso3)) {
        const k = foldName(n.replace(/^the /i, ''));
        if (!byName.has(k)) byName.set(k, s);
      }
  }
  return byName.get(folded);
}

/** A State named by its ISO3 code or its UN short or formal name (case and accents ignored). */
export function findState(query: string): StateInfo | undefined {
  const q = query.trim();
  if (/^[A-Za-z]{3}$/.test(q)) {
    const hit = byIso3.get(q.toUpperCase());
    if (hit) return hit;
  }
  const folded = foldName(q.replace(/^the\s+/i, ''));
  const hit = byName.get(folded) ?? byFormerName(folded);
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

/**
 * Every UN name of a State, today's and those it had since 2000 ("Türkiye", "Turkey"), for
 * finding it in free text whichever year the workspace is named for; none for another code.
 */
export function unNames(iso3: string): string[] {
  const s = byIso3.get(iso3);
  return s ? [...new Set([s.name, s.inText, ...formerNames(iso3)])] : [];
}

/**
 * How a State's name stands in running text: its UN form for today's short name ("the Bahamas"),
 * the UNTERM form of a former UN name ("Turkey", "the Czech Republic"); undefined for any other
 * name (a name the officer wrote, used as written).
 */
export function nameInText(state: StateInfo, name: string): string | undefined {
  if (name === state.name) return state.inText;
  return formerNames(state.iso3).includes(name) ? formerNameInText(name) : undefined;
}
