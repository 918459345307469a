import { UserError } from '../errors.js';

/**
 * What one delegation list may hold before nv refuses it. A real list has tens of participants,
 * a consolidated one a few thousand; these defaults are far above that and keep a hostile or
 * broken file from taking the machine down (peak memory stays under ~500 MB). Each can be raised
 * with `--budget NAME=VALUE` (several separated by commas).
 */
export interface ListBudgets {
  /** Bytes of the file (CSV or XLSX). */
  bytes: number;
  /** Records (participants and the header) of a list. */
  rows: number;
  /** Values of a list (records × columns). */
  cells: number;
  /** Characters of one line of a CSV. */
  line: number;
  /** Bytes an XLSX inflates to (every part of the workbook together). */
  inflated: number;
  /** Merged ranges of a sheet. */
  merges: number;
  /** The highest row number a sheet may use (or a merged range reach). */
  'max-row': number;
}

export type BudgetName = keyof ListBudgets;

const MB = 1024 * 1024;

export const DEFAULT_LIST_BUDGETS: Readonly<ListBudgets> = {
  bytes: 16 * MB,
  rows: 20_000,
  cells: 400_000,
  line: 65_536,
  inflated: 48 * MB,
  merges: 1_000,
  'max-row': 100_000,
};

const SIZES = new Set<BudgetName>(['bytes', 'inflated']);

/** "16 MB", "20,000 rows" … for messages. */
export function describeBudget(name: BudgetName, value: number): string {
  if (SIZES.has(name)) return value >= MB ? `${Math.round((value / MB) * 10) / 10} MB` : `${value} bytes`;
  const n = value.toLocaleString('en-US');
  const unit: Record<BudgetName, string> = {
    bytes: 'bytes',
    rows: 'rows',
    cells: 'values',
    line: 'characters on a line',
    inflated: 'bytes inflated',
    merges: 'merged ranges',
    'max-row': 'as the highest row number',
  };
  return `${n} ${unit[name]}`;
}

/** The sentence that refuses a list over a budget, naming it and how to raise it. */
export function overBudget(name: BudgetName, budgets: ListBudgets, what: string): string {
  const raised = SIZES.has(name) ? `${Math.ceil((budgets[name] * 4) / MB)}MB` : String(budgets[name] * 4);
  return `${what}: over the budget "${name}" of ${describeBudget(name, budgets[name])} for a list; nothing of it was read (if the list is real, raise the budget: --budget ${name}=${raised})`;
}

/**
 * Parses `--budget rows=300000,bytes=200MB` over the defaults. Sizes take KB, MB or GB.
 * Throws UserError for an unknown name or a value that is not a positive number.
 */
export function listBudgets(spec?: string): ListBudgets {
  const budgets: ListBudgets = { ...DEFAULT_LIST_BUDGETS };
  if (spec === undefined || spec.trim() === '') return budgets;
  for (const part of spec.split(',')) {
    const m = /^\s*([a-z-]+)\s*=\s*(\d+(?:\.\d+)?)\s*(kb|mb|gb)?\s*$/i.exec(part);
    const name = m?.[1]?.toLowerCase() as BudgetName | undefined;
    if (!m || name === undefined || !(name in DEFAULT_LIST_BUDGETS)) {
      throw new UserError(
        `--budget "${part.trim()}" is not a budget: write NAME=VALUE, NAME one of ${Object.keys(DEFAULT_LIST_BUDGETS).join(', ')}.`,
        { hint: 'For example: --budget rows=300000,bytes=200MB' },
      );
    }
    const unit = { kb: 1024, mb: MB, gb: 1024 * MB }[(m[3] ?? '').toLowerCase() as 'kb' | 'mb' | 'gb'] ?? 1;
    const value = Math.floor(Number(m[2]) * unit);
    if (!(value > 0)) throw new UserError(`--budget ${name} must be a positive number.`);
    budgets[name] = value;
  }
  return budgets;
}
