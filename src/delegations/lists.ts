/** What the register keeps of delegation lists and their participants. */
import type { ParticipantValues } from '../participant-fields.js';

/**
 * One person of a delegation list, as the Government wrote it (names never re-cased): the line
 * of the list, and the fields of the participant table (`participant-fields.ts`).
 */
export type ParticipantInput = { line: number } & ParticipantValues;

export type Participant = ParticipantInput & {
  id: number;
  listId: number;
  /** 1-based order in the list the Government submitted. */
  position: number;
};

export interface NewDelegationList {
  state: string;
  replyId: number | null;
  sha256: string;
  sourceName: string | null;
  encoding: string;
  delimiter: string;
  warnings: string[];
  participants: ParticipantInput[];
}

export interface DelegationList extends Omit<NewDelegationList, 'participants'> {
  id: number;
  importedAt: string;
  supersededBy: number | null;
  participants: Participant[];
}
