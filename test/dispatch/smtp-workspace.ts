/**
 * What the SMTP dispatch tests share: the uncac-2012 example with its 195 notes generated as PDF
 * (once per test file, then copied), nv.yaml's dispatch settings, the register's messages read
 * straight from the SQLite file, and the messages a test server took, parsed back.
 */
import Database from 'better-sqlite3';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { exampleWorkspace, nv, tempDir } from '../helpers/cli.js';
import type { SmtpTestServer } from '../helpers/smtp-server.mjs';

export const REF = 'CU 2012/150';

let generated: string | undefined;

/** A fresh copy of the example with every note generated as PDF (SQLite register). */
export function generatedWorkspace(): string {
  if (!generated) {
    const { ws } = exampleWorkspace();
    const g = nv(['generate', '--yes', '--format', 'pdf'], { cwd: ws });
    if (g.code !== 0) throw new Error(`nv generate failed: ${g.stderr}`);
    generated = ws;
  }
  const copy = join(tempDir('nv-smtp-'), 'ws');
  cpSync(generated, copy, { recursive: true });
  return copy;
}

/** Adds lines under `dispatch:` in nv.yaml (each `key: value`, indented by the caller if nested). */
export function addDispatchSettings(ws: string, lines: string[]): void {
  const file = join(ws, 'nv.yaml');
  const yaml = readFileSync(file, 'utf8');
  const at = yaml.indexOf('\ndispatch:\n');
  if (at < 0) throw new Error('nv.yaml has no dispatch: section');
  const end = at + '\ndispatch:\n'.length;
  writeFileSync(file, yaml.slice(0, end) + lines.map((l) => `  ${l}\n`).join('') + yaml.slice(end));
}

/** Replaces `from` by `to` in recipients.csv. */
export function editRecipients(ws: string, from: string, to: string): void {
  const csv = join(ws, 'recipients.csv');
  writeFileSync(csv, readFileSync(csv, 'utf8').replace(from, to));
}

/** The settings every SMTP test uses: the server, and back-off in milliseconds so tests are quick. */
export function useServer(ws: string, server: SmtpTestServer, extra: string[] = []): void {
  addDispatchSettings(ws, [`smtp: ${server.url}`, 'retry_delay: 0.02', ...extra]);
}

export interface MessageRow {
  id: number;
  note_id: number;
  recipient: string;
  message_id: string;
  to: string;
  cc: string;
  subject: string;
  channel: string;
  status: string;
  server_reply: string | null;
  reason: string | null;
  files: string;
}

export function messageRows(ws: string): MessageRow[] {
  const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT m.*, n.files FROM messages m JOIN notes n ON n.id = m.note_id ORDER BY m.id')
      .all() as MessageRow[];
  } finally {
    db.close();
  }
}

/** Every audit entry's text (action, detail, command), for looking for a secret. */
export function auditText(ws: string): string {
  const db = new Database(join(ws, '.nv', 'registry.sqlite'), { readonly: true });
  try {
    return JSON.stringify(db.prepare('SELECT * FROM audit').all());
  } finally {
    db.close();
  }
}

export function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? ''));
}

export interface Received {
  mail: ParsedMail;
  /** The Message-ID without angle brackets. */
  messageId: string;
  envelope: { from: string; to: string[]; user: string; secure: boolean };
}

/** The messages the server took, parsed back with mailparser, in the order taken. */
export async function received(server: SmtpTestServer): Promise<Received[]> {
  const out: Received[] = [];
  for (const m of server.messages()) {
    const mail = await simpleParser(m.raw);
    out.push({ mail, messageId: (mail.messageId ?? '').replace(/^<|>$/g, ''), envelope: m.envelope });
  }
  return out;
}

/** How many times each value occurs, only those above once. */
export function repeated(values: string[]): string[] {
  const seen = new Map<string, number>();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
}
