/**
 * Reference data the tests read, copied into the project (test/fixtures/SOURCES.md says from
 * where), so that a clone with nothing beside it tests itself.
 */
import { join, resolve } from 'node:path';

export const TEST_FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
/** The 195 States (193 Member States and 2 observer States) with UNTERM names, as in ../shared/data. */
export const UN_STATES_CSV = join(TEST_FIXTURES, 'data', 'un-states.csv');
/** The text of the real note verbale of 15 August 2012 the invitation reproduces. */
export const SEED_NOTE = join(TEST_FIXTURES, 'seed', '000_152dfbdc0b7fa805.txt');
/** `seed-compare.py SEED NOTE.txt`: the share of the seed's words found in order in a note. */
export const SEED_COMPARE = join(TEST_FIXTURES, 'tools', 'seed-compare.py');
