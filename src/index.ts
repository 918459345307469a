/**
 * nv's programmatic API: the core the CLI drives, for scripts and tests. Nothing here prints,
 * prompts or exits; errors are NvError (UserError: exit 2, InternalError: exit 3).
 */
export { EXIT, InternalError, NvError, UserError, isNvError } from './errors.js';
export { findWorkspaceRoot, loadWorkspace, type Workspace } from './workspace/load.js';
export { initExample, initWorkspace } from './workspace/init.js';
export { openRegister } from './storage/open.js';
export type { Register } from './storage/register.js';
export { planGeneration, type GenerateOptions, type Plan } from './notes/plan.js';
export { executePlan, type GenerateResult } from './notes/generate.js';
export { expandPaths, ingestFiles, parseReceived } from './replies/ingest.js';
export { assess, stateStatus, repliedStates } from './replies/status.js';
export { applyDecision } from './replies/decide.js';
export { RULES, runRules, type Finding } from './rules/index.js';
export { importDelegations, replySources } from './delegations/import.js';
export { parseDelegationCsv, refuseOnProblems } from './delegations/parse.js';
export { consolidate } from './participants/consolidate.js';
export { exportParticipants, exportStatus } from './participants/export.js';
export { toSafeCsv, parseSafeCsv } from './participants/csv-safe.js';
export { formatDate, formatDateRange } from './dates.js';
export { formatReference, parseReference } from './references/format.js';
export type { NoteDocument, ReportDocument, NvDocument } from './render/document.js';
export { formatDateSpan, formatTitleDates } from './dates.js';
export { labelsFor, fillLabel, LABEL_LANGUAGES, type Labels } from './text/labels.js';
export { typographicSpaces } from './text/spaces.js';
