/**
 * `nv status` and `nv status --undelivered` on the e-mail of each State, through the built CLI.
 *
 * Nine States of the uncac-2012 example, each in one state of delivery. Drafts are made the real
 * way (`nv dispatch --drafts`); sent, sending, failed and bounced through the register's own API
 * (`claimSending`, `changeMessageStatus`: what the SMTP dispatch and the ingest of a bounce call);
 * a reply through `nv ingest`. Then every figure `nv status` shows is checked, the `--undelivered`
 * transcript kept as a golden (test/cli/transcripts/status-undelivered.txt; regenerate with
 * UPDATE_SNAPSHOTS=1 after an intended change of wording), and the same on PostgreSQL.
 *
 *   AFG drafted                    ALB invitation sent, reminder not dispatched
 *   DZA drafted, then sent          AND sent, then bounced          AGO failed
 *   ATG sending (left or not)       ARG bounced, but replied        ARM no address, not dispatched
 *   AUS no note
 */
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoInZone } from '../../src/dates.js';
import { openRegister } from '../../src/storage/open.js';
import { exampleWorkspace, nv, ROOT } from '../helpers/cli.js';
import { describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

const TZ = 'Europe/Vienna';
const INVITATION = 'CU 2012/150(A)/DTA/CEB/CSS';
/** Andorra is an observer: variant B of the circular. */
const FOR_OBSERVERS = 'CU 2012/150(B)/DTA/CEB/CSS';
const REMINDER = 'CU 2012/151/DTA/CEB/CSS';
const ACTOR = { user: 'officer-1 Anna', command: 'test' };
const BOUNCE = '550 5.1.1 <registry@mission.and.example.org>: Recipient address rejected: User unknown';
const REFUSAL = '554 5.7.1 Message refused: attachment too large\r\n(limit 10 MB)';
const GOLDEN = join(import.meta.dirname, 'transcripts', 'status-undelivered.txt');

interface Setup {
  dir: string;
  ws: string;
  env: Record<string, string>;
}

function run(args: string[], s: Pick<Setup, 'ws' | 'env'>) {
  const r = nv(args, { cwd: s.ws, env: s.env });
  expect(r.code, `nv ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** The nine States, each in its state of delivery (see the file's comment). */
async function buildStates(env: Record<string, string>): Promise<Setup> {
  const { dir, ws } = exampleWorkspace();
  const lines = readFileSync(join(ws, 'recipients.csv'), 'utf8').split('\n').slice(0, 10);
  // ARM (line 9) has no address: its email cell emptied.
  const header = lines[0]!.split(',');
  const arm = lines[8]!.split(',');
  expect(arm[0]).toBe('ARM');
  arm[header.indexOf('email')] = '';
  lines[8] = arm.join(',');
  writeFileSync(join(ws, 'recipients.csv'), lines.join('\n') + '\n');
  const s = { dir, ws, env };
  if (env.NV_DATABASE_URL) run(['db', 'migrate'], s);
  run(['generate', '--only', 'AFG,ALB,DZA,AND,AGO,ATG,ARG,ARM', '--format', 'pdf', '--yes'], s);
  run(['generate', '--template', 'reminder', '--only', 'ALB', '--format', 'pdf', '--yes'], s);
  run(['dispatch', INVITATION, '--drafts', 'out/drafts', '--only', 'AFG,DZA', '--yes'], s);
  run(
    [
      'ingest',
      join(ROOT, 'fixtures', 'replies', 'fax.tif'),
      '--state',
      'ARG',
      '--channel',
      'fax',
      '--received',
      '2012-09-24 14:05',
      '--yes',
    ],
    s,
  );

  const register = await openRegister(join(ws, '.nv', 'registry.sqlite'), env, { workspace: ws });
  try {
    const d = (await register.listDispatches()).find((x) => x.seq === 150)!;
    const notes = await register.notesOf(d.id);
    const send = async (state: string, ...then: [from: 'sending' | 'sent', change: object][]) => {
      const note = notes.find((n) => n.recipient === state)!;
      const claim = await register.claimSending(
        {
          noteId: note.id,
          recipient: state,
          messageId: `nv.test.${state}@example.org`,
          to: [`registry@mission.${state.toLowerCase()}.example.org`],
          cc: [],
          subject: INVITATION,
        },
        ACTOR,
      );
      expect(claim.claimed).toBe(true);
      for (const [from, change] of then)
        expect(
          await register.changeMessageStatus(claim.message.id, [from], change as never, ACTOR),
        ).not.toBeNull();
    };
    const sent: ['sending', object] = ['sending', { status: 'sent', serverReply: '250 2.0.0 Ok: queued' }];
    await send('ALB', sent);
    await send('DZA', sent);
    await send('AND', sent, ['sent', { status: 'bounced', reason: BOUNCE }]);
    await send('AGO', ['sending', { status: 'failed', reason: REFUSAL }]);
    await send('ATG');
    await send('ARG', sent, ['sent', { status: 'bounced', reason: BOUNCE }]);
  } finally {
    await register.close();
  }
  return s;
}

interface Row {
  state: string;
  status: string;
  notes: { reference: string; delivery: { status: string } | null }[];
  delivery: { status: string; at: string; messageId: string; reason: string | null; channel: string } | null;
}

interface Undelivered {
  state: string;
  why: string;
  reference: string | null;
  line: number | null;
  delivery: { status: string; reason: string | null; to: string[] } | null;
  action: string;
}

function checkFigures(s: Setup): void {
  const json = JSON.parse(run(['status', '--json'], s).stdout) as {
    rows: Row[];
    totals: { invited: number; noted: number; delivery: Record<string, number> };
  };
  const by = Object.fromEntries(json.rows.map((r) => [r.state, r]));
  const latest = Object.fromEntries(json.rows.map((r) => [r.state, r.delivery?.status ?? null]));
  expect(latest).toEqual({
    AFG: 'drafted',
    ALB: null,
    DZA: 'sent',
    AND: 'bounced',
    AGO: 'failed',
    ATG: 'sending',
    ARG: 'bounced',
    ARM: null,
    AUS: null,
  });
  // ALB: the invitation went, the reminder (its latest note) did not; each note has its own.
  expect(by.ALB!.notes.map((n) => [n.reference, n.delivery?.status ?? null])).toEqual([
    [INVITATION, 'sent'],
    [REMINDER, null],
  ]);
  // DZA was drafted, then sent by SMTP: the SMTP message decides.
  expect(by.DZA!.delivery).toMatchObject({
    channel: 'smtp',
    messageId: 'nv.test.DZA@example.org',
    reason: null,
  });
  expect(by.AND!.delivery).toMatchObject({
    status: 'bounced',
    reason: BOUNCE,
    messageId: 'nv.test.AND@example.org',
  });
  expect(by.AGO!.delivery!.reason).toBe(REFUSAL);
  expect(by.AFG!.delivery).toMatchObject({ channel: 'drafts', reason: null });
  // Times in the secretariat's zone, as for replies.
  expect(by.AND!.delivery!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00$/);
  expect(by.ARG!.status).toBe('accepted');
  expect(json.totals).toMatchObject({ invited: 9, noted: 8 });
  expect(json.totals.delivery).toEqual({
    sent: 1,
    bounced: 2,
    failed: 1,
    drafted: 1,
    sending: 1,
    notDispatched: 2,
  });

  const text = run(['status'], s).stdout.split('\n');
  const line = (state: string) => text.find((l) => l.startsWith(`${state} `))!;
  expect(line('AFG')).toMatch(
    / CU 2012\/150\(A\)\/DTA\/CEB\/CSS {2}drafted \d{4}-\d\d-\d\d \d\d:\d\d \+0[12]:00, not confirmed sent {2}no-reply$/,
  );
  expect(line('ALB')).toContain(`${INVITATION}, ${REMINDER}  latest not dispatched  no-reply`);
  expect(line('DZA')).toMatch(/ {2}e-mail sent \d{4}-/);
  expect(line('AND')).toContain(`: ${BOUNCE}  no-reply`);
  expect(line('AGO')).toContain(': 554 5.7.1 Message refused: attachment too large (limit 10 MB)  no-reply');
  expect(line('ATG')).toContain(', may or may not have left  no-reply');
  expect(line('ARG')).toMatch(/e-mail bounced .* {2}accepted {2}reply 1 /);
  expect(line('ARM')).toContain(`${INVITATION}  not dispatched  no-reply`);
  expect(line('AUS')).toMatch(/^AUS {2}Australia +\(no note\) {2}no-reply$/);
  expect(text).toContain(
    `9 invited, 8 sent a note (latest note by e-mail: 1 sent, 2 bounced, 1 failed, 1 drafted, 1 may or may not have left, 2 not dispatched); 1 reply, 0 awaiting review (nv review); States: 1 accepted, 0 late, 0 refused, 0 under review, 8 without reply; 0 open finding(s). Times in ${TZ}.`,
  );

  const u = JSON.parse(run(['status', '--undelivered', '--json'], s).stdout) as {
    states: Undelivered[];
    drafted: number;
  };
  // ARG bounced but replied: it was reached. AFG (drafted) and DZA (sent) are not listed either.
  expect(u.states.map((x) => [x.state, x.why, x.reference])).toEqual([
    ['ALB', 'not-dispatched', REMINDER],
    ['AND', 'bounced', FOR_OBSERVERS],
    ['AGO', 'failed', INVITATION],
    ['ATG', 'sending', INVITATION],
    ['ARM', 'no-address', INVITATION],
    ['AUS', 'no-note', null],
  ]);
  expect(u.drafted).toBe(1);
  const und = Object.fromEntries(u.states.map((x) => [x.state, x]));
  expect(und.ARM!.line).toBe(9);
  expect(und.ARM!.action).toContain('no e-mail address in recipients.csv (line 9)');
  expect(und.AND!.delivery).toMatchObject({ reason: BOUNCE, to: ['registry@mission.and.example.org'] });
  expect(und.ATG!.action).toContain(`may or may not have left (nv dispatch "${INVITATION}" --resolve)`);
  expect(und.ALB!.action).toContain(`nv dispatch "${REMINDER}" --only ALB`);

  // --missing and --undelivered: every State without delivery has no reply, so the same list.
  expect(run(['status', '--missing', '--undelivered'], s).stdout).toBe(
    run(['status', '--undelivered'], s).stdout,
  );
}

/**
 * The transcript of the --undelivered commands (command, stdout, stderr when any, exit code),
 * times and temporary folders replaced.
 */
function transcript(s: Setup): string {
  const step = (args: string[]) => {
    const r = nv(args, { cwd: s.ws, env: s.env });
    const err = r.stderr.trimEnd();
    return `$ nv ${args.join(' ')}\n${r.stdout.trimEnd()}\n${err ? `stderr: ${err}\n` : ''}Exit code: ${r.code}`;
  };
  let t = `${step(['status', '--undelivered'])}\n\n${step(['status', '--undelivered', '--json'])}\n`;
  for (const d of new Set([s.dir, realpathSync(s.dir)])) t = t.split(d).join('<tmp>');
  return t
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<time>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d/g, '<time>');
}

describe('nv status: what became of each State’s e-mail (SQLite)', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await buildStates({});
  });
  afterAll(() => rmSync(s.dir, { recursive: true, force: true }));

  it('nv status and --undelivered show every State’s delivery, totals and what to do', () => {
    checkFigures(s);
  });

  it('the --undelivered transcript is the golden one, exit 0', () => {
    const actual = transcript(s);
    if (process.env.UPDATE_SNAPSHOTS || !existsSync(GOLDEN)) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('the command --undelivered suggests for a note not dispatched works, and takes the State off the list', () => {
    run(['dispatch', REMINDER, '--only', 'ALB', '--drafts', 'out/drafts', '--yes'], s);
    const u = JSON.parse(run(['status', '--undelivered', '--json'], s).stdout) as {
      states: Undelivered[];
      drafted: number;
    };
    expect(u.states.map((x) => x.state)).toEqual(['AND', 'AGO', 'ATG', 'ARM', 'AUS']);
    expect(u.drafted).toBe(2);
  });

  it('nv ref show lists each message with its status, the reason it failed or bounced, and a sending one flagged', () => {
    const words = run(['ref', 'show', '150'], s).stdout.split('\n');
    const message = (state: string) => words[words.findIndex((l) => l.startsWith(`  ${state}\t`)) + 1]!;
    expect(message('AND')).toMatch(
      new RegExp(
        `^    bounced \\S+Z  <nv\\.test\\.AND@example\\.org>  registry@mission\\.and\\.example\\.org  \\(550 5\\.1\\.1 `,
      ),
    );
    expect(message('AGO')).toContain('  (554 5.7.1 Message refused: attachment too large (limit 10 MB))');
    expect(message('ATG')).toContain('  (may or may not have left: nv dispatch "150" --resolve)');
    const json = JSON.parse(run(['ref', 'show', '150', '--json'], s).stdout) as {
      recipients: {
        recipient: string;
        messages: { status: string; reason: string | null; serverReply: string | null }[];
      }[];
    };
    const of = (state: string) => json.recipients.find((r) => r.recipient === state)!.messages;
    expect(of('AND')).toEqual([
      expect.objectContaining({ status: 'bounced', reason: BOUNCE, serverReply: '250 2.0.0 Ok: queued' }),
    ]);
    expect(of('DZA').map((m) => m.status)).toEqual(['drafted', 'sent']);
  });

  it('a delivery time is the message’s status time, in the secretariat’s zone', async () => {
    const register = await openRegister(join(s.ws, '.nv', 'registry.sqlite'), {}, { workspace: s.ws });
    try {
      const [m] = await register.messagesById(['nv.test.AND@example.org']);
      const rows = (JSON.parse(run(['status', '--json'], s).stdout) as { rows: Row[] }).rows;
      expect(rows.find((r) => r.state === 'AND')!.delivery!.at).toBe(isoInZone(m!.statusAt, TZ));
    } finally {
      await register.close();
    }
  });
});

describePg('nv status: what became of each State’s e-mail (PostgreSQL)', () => {
  let s: Setup;
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase('nv_status');
    s = await buildStates({ NV_DATABASE_URL: url });
  });
  afterAll(async () => {
    await dropDatabase(url);
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('the same figures, and the same --undelivered transcript, as on SQLite', () => {
    checkFigures(s);
    expect(transcript(s)).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
