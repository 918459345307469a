import type { MeetingOption } from '../../src/delegations/index.js';

/** The meetings the delegation tests and fixtures assume (fixtures/delegations/README.md). */
export const MEETINGS: MeetingOption[] = [
  { key: 'uncac-em', names: ['UNCAC expert meeting', 'UNCAC', 'CNUCC', 'Expert meeting'] },
  { key: 'untoc-wg', names: ['UNTOC working group', 'UNTOC WG', 'UNTOC', 'Working group'] },
];
