/** Delegation lists: decoding, delimiter, header synonyms, row schema, parsing. Pure: no I/O. */
export {
  decodeText,
  LEGACY_ENCODINGS,
  type DecodedText,
  type LegacyEncoding,
  type TextEncodingName,
} from './decode.js';
export { DELIMITERS, sniffDelimiter, excelSeparatorLine, type Delimiter } from './sniff.js';
export {
  FIELDS,
  matchHeader,
  isFamilyFirstHeader,
  exampleHeaders,
  type Field,
  type HeaderMatch,
} from './headers.js';
export { normaliseHonorific, isHonorific, type Honorific } from './honorific.js';
export { ROLES, parseRole, type Role } from './role.js';
export {
  matchMeetings,
  meetingNamed,
  parseAttendanceMark,
  type MeetingOption,
  type MeetingMatch,
} from './meetings.js';
export { splitFullName, type NameSplit } from './names.js';
export {
  participantRowSchema,
  rowSchema,
  composeFullName,
  type ParticipantRow,
  type RowCells,
  type RowContext,
} from './schema.js';
export {
  parseDelegationCsv,
  refuseOnProblems,
  type DelegationParseResult,
  type ParseOptions,
} from './parse.js';
export { formatProblem, type Problem, type Warning } from './problems.js';
export type { ColumnInfo } from './columns.js';
export { labelKey } from './normalise.js';
