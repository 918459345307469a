/**
 * What reading one document may cost. A reply is a note verbale of a page or two, perhaps a
 * delegation list: the defaults are far above anything a real reply needs (the PDFs of pdf.js's
 * test suite in the bench and the reply fixtures, 14 pages at most, ingest within 176 MB resident,
 * bench/RESULTS.md), and far below what takes a clerk's machine down (the bombs of
 * bench/fuzz/bombs.mjs stop under 420 MB). A document over a budget is `unreadable`, with the
 * budget named and how to raise it; the batch goes on.
 *
 * Budgets come from `nv.yaml` (`intake.budgets`) and `nv ingest --budget name=value`.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';

export interface IntakeBudgets {
  /** Megabytes a document may inflate to: decompressed PDF streams, the main part of a ZIP-based office file. */
  inflatedMb: number;
  /** Content operators walked in one PDF (Form XObjects counted each time they are drawn), or XML elements in a DOCX/ODT/XLSX part. */
  operators: number;
  /** Pages of one PDF or TIFF. */
  pages: number;
  /** Seconds reading one document may take. */
  seconds: number;
  /** Megabytes the nv process may hold resident while a document is read (its reader is stopped past it). */
  memoryMb: number;
}

export const DEFAULT_BUDGETS: Readonly<IntakeBudgets> = Object.freeze({
  inflatedMb: 256,
  operators: 2_000_000,
  pages: 1_000,
  seconds: 30,
  memoryMb: 400,
});

type BudgetKey = keyof IntakeBudgets;

/** The budget's name in `--budget` (the `nv.yaml` key is the same with `_`), and what it counts. */
const BUDGET: Record<BudgetKey, { name: string; unit: (n: number) => string }> = {
  inflatedMb: { name: 'inflated-mb', unit: (n) => `${fmt(n)} MB inflated` },
  operators: { name: 'operators', unit: (n) => `${fmt(n)} operators or XML elements walked` },
  pages: { name: 'pages', unit: (n) => `${fmt(n)} page${n === 1 ? '' : 's'}` },
  seconds: { name: 'seconds', unit: (n) => `${fmt(n)} seconds of reading` },
  memoryMb: { name: 'memory-mb', unit: (n) => `${fmt(n)} MB of memory` },
};

const fmt = (n: number): string => n.toLocaleString('en-US');

const positive = z.number().positive().finite();

/** `intake.budgets` in nv.yaml: any of inflated_mb, operators, pages, seconds, memory_mb. */
export const budgetsConfigSchema = z.strictObject({
  inflated_mb: positive.optional(),
  operators: positive.int().optional(),
  pages: positive.int().optional(),
  seconds: positive.optional(),
  memory_mb: positive.optional(),
});
export type BudgetsConfig = z.infer<typeof budgetsConfigSchema>;

export function budgetsFromConfig(config: BudgetsConfig | undefined): Partial<IntakeBudgets> {
  const out: Partial<IntakeBudgets> = {};
  for (const [key, spec] of Object.entries(BUDGET) as [BudgetKey, (typeof BUDGET)[BudgetKey]][]) {
    const value = config?.[spec.name.replace('-', '_') as keyof BudgetsConfig];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `--budget seconds=60 --budget inflated-mb=1024`: each `name=value`, names as in the README. */
export function budgetsFromFlags(values: readonly string[]): Partial<IntakeBudgets> {
  const out: Partial<IntakeBudgets> = {};
  const names = Object.values(BUDGET).map((b) => b.name);
  for (const text of values) {
    const m = /^\s*([a-z_-]+)\s*=\s*([0-9][0-9_,.]*)\s*$/i.exec(text);
    const name = m?.[1]?.toLowerCase().replace('_', '-');
    const entry = Object.entries(BUDGET).find(([, b]) => b.name === name);
    const value = Number((m?.[2] ?? '').replace(/[_,]/g, ''));
    if (!m || !entry || !(value > 0) || !Number.isFinite(value))
      throw new UserError(
        `--budget ${text} is not a budget; write name=number with a name among ${names.join(', ')}, e.g. --budget seconds=120.`,
      );
    out[entry[0] as BudgetKey] = value;
  }
  return out;
}

let current: IntakeBudgets = { ...DEFAULT_BUDGETS };

/** The budgets every later document is read with (nv.yaml's, then the flags'; the rest default). */
export function setIntakeBudgets(...layers: Partial<IntakeBudgets>[]): IntakeBudgets {
  current = Object.assign({ ...DEFAULT_BUDGETS }, ...layers) as IntakeBudgets;
  return current;
}

export function intakeBudgets(): IntakeBudgets {
  return current;
}

/** A budget was spent: the document is `unreadable` and this says which budget and how to raise it. */
export class OverBudget extends Error {
  constructor(
    readonly budget: BudgetKey,
    limit: number,
    what: string,
  ) {
    super(overBudgetReason(budget, limit, what));
    this.name = 'OverBudget';
  }
}

/** "over budget: it has 2,000 pages (more than 1,000 pages; budget pages: to read it, raise it with …)" */
export function overBudgetReason(budget: BudgetKey, limit: number, what: string): string {
  const spec = BUDGET[budget];
  return `over budget: ${what} (more than ${spec.unit(limit)}; budget ${spec.name}: to read it, raise it with nv ingest --budget ${spec.name}=N or intake.budgets.${spec.name.replace('-', '_')} in nv.yaml)`;
}

/** Bytes inflated so far in one document, against its budget. */
export class InflationMeter {
  private left: number;
  constructor(private readonly limitMb: number) {
    this.left = limitMb * 1024 * 1024;
  }
  /** At most this many bytes may still be inflated. */
  get remaining(): number {
    return Math.max(0, this.left);
  }
  add(bytes: number): void {
    this.left -= bytes;
    if (this.left < 0)
      throw new OverBudget('inflatedMb', this.limitMb, 'its compressed content inflates too far');
  }
}
