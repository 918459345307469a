/**
 * `nv dispatch <ref> --drafts DIR`: each planned message written as an RFC 5322 `.eml` file that
 * Outlook and Thunderbird open as a ready draft, each recorded in the register as `drafted` under
 * the Message-ID nv made.
 */
import { resolve } from 'node:path';
import type { Actor } from '../audit.js';
import { ensureWritableDir, removeStaleTemporaries, writeFileAtomicAsync } from '../files.js';
import type { MessageRegister } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { buildMessage, shown, summariseDispatch, type DispatchPlan, type DispatchSummary } from './plan.js';
import type { NewMessage } from './records.js';

export interface DispatchResult extends DispatchSummary {
  drafts: string;
  alreadyDrafted: number;
  written: { state: string; name: string; file: string; messageId: string; to: string[]; cc: string[] }[];
}

const RECORD_BATCH = 25;

/**
 * Writes each message's .eml (to a temporary name, then renamed) and records it `drafted`, in
 * batches. A run stopped half-way leaves the messages recorded so far; the next run drafts the rest.
 */
export async function executeDispatch(
  ws: Workspace,
  register: MessageRegister,
  plan: DispatchPlan,
  opts: { actor: Actor; onProgress?: (done: number, total: number) => void },
): Promise<DispatchResult> {
  const dirs = new Set(plan.messages.map((m) => resolve(m.file, '..')));
  for (const d of dirs) {
    ensureWritableDir(d);
    removeStaleTemporaries(d);
  }
  const written: DispatchResult['written'] = [];
  let batch: NewMessage[] = [];
  const flush = async () => {
    if (batch.length) await register.recordMessages(batch, opts.actor);
    batch = [];
  };
  opts.onProgress?.(0, plan.messages.length);
  for (const m of plan.messages) {
    const { bytes, record } = await buildMessage(plan, m, { draft: true });
    const messageId = record.messageId;
    await writeFileAtomicAsync(m.file, bytes);
    batch.push({
      ...record,
      channel: 'drafts',
      status: 'drafted',
    });
    written.push({
      state: m.recipient.code,
      name: m.recipient.name,
      file: shown(ws, m.file),
      messageId,
      to: m.to,
      cc: m.cc,
    });
    if (batch.length >= RECORD_BATCH) await flush();
    opts.onProgress?.(written.length, plan.messages.length);
  }
  await flush();
  return {
    ...summariseDispatch(ws, plan),
    drafts: shown(ws, plan.outDir),
    alreadyDrafted: plan.already.length,
    written,
  };
}
