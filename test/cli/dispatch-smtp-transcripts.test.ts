/**
 * What the officer sees of `nv dispatch` by SMTP, as golden transcripts (command, stdout, stderr,
 * exit code) in test/cli/transcripts/dispatch-smtp.txt: the plan of a dry run, its --json
 * document, a batch with a message left in doubt, the rerun that lists it, `--resolve` without
 * and with `--as`. Ports, the random part of Message-IDs and times are normalised. After an
 * intended change of wording:
 *
 *   UPDATE_SNAPSHOTS=1 npx vitest run test/cli/dispatch-smtp-transcripts.test.ts
 *
 * And on a terminal (pseudo-terminal): the plan and the confirmation, and `--resolve` asking.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nv } from '../helpers/cli.js';
import { drive } from '../helpers/pty.js';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp-server.mjs';
import { generatedWorkspace, messageRows, REF, useServer } from '../dispatch/smtp-workspace.js';

const GOLDEN = join(import.meta.dirname, 'transcripts', 'dispatch-smtp.txt');
const servers: SmtpTestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

function normalise(text: string): string {
  return text
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/\.[0-9a-f]{12}@/g, '.RANDOM@')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');
}

describe('nv dispatch by SMTP: transcripts', () => {
  it('dry run, --json, a batch with one message in doubt, the rerun, --resolve, --resolve --as', async () => {
    const srv = await startSmtpServer({ dropAfterData: [2] });
    servers.push(srv);
    const ws = generatedWorkspace();
    useServer(ws, srv);
    const env = { NV_SMTP_PASSWORD: srv.password, NV_ACTOR: 'officer-1 Anna' };
    const only = ['--only', 'AUT,BRA,FRA'];
    const steps = [
      ['dispatch', REF, ...only, '--dry-run'],
      ['dispatch', REF, ...only, '--dry-run', '--json'],
      ['dispatch', REF, ...only, '--yes', '--json'],
      ['dispatch', REF, ...only, '--yes'],
      ['dispatch', REF, '--resolve'],
      ['dispatch', REF, '--resolve', '--as', 'sent', '--only', 'BRA', '--json'],
      ['dispatch', REF, ...only, '--yes'],
    ];
    let transcript = '';
    for (const args of steps) {
      const r = nv(args, { cwd: ws, env });
      transcript += `$ nv ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}\n`;
      if (r.stdout) transcript += `--- stdout\n${r.stdout}`;
      if (r.stderr) transcript += `--- stderr\n${r.stderr}`;
      transcript += `Exit code: ${r.code}\n\n`;
    }
    transcript = normalise(transcript);
    if (process.env.UPDATE_SNAPSHOTS) writeFileSync(GOLDEN, transcript);
    expect(transcript).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(srv.messages()).toHaveLength(3);
  }, 120_000);
});

describe('nv dispatch by SMTP on a terminal', () => {
  it('shows the plan and asks first; declined: nothing sent, nothing recorded, exit 2', async () => {
    const srv = await startSmtpServer();
    servers.push(srv);
    const ws = generatedWorkspace();
    useServer(ws, srv);
    const env = { ...process.env, NV_SMTP_PASSWORD: srv.password };
    const { screen, code } = drive(
      [['Send them now?', 'n\r']],
      ['dispatch', REF, '--only', 'AUT,FRA'],
      ws,
      env,
    );
    expect(code, screen).toBe(2);
    expect(normalise(screen)).toContain(
      '2 message(s) for CU 2012/150(A)/DTA/CEB/CSS to smtp://registry@127.0.0.1:PORT, attachments',
    );
    expect(screen).toContain('AUT  registry@mission.aut.example.org  AUT-Austria.pdf');
    expect(screen).toContain('Nothing was sent: you declined.');
    expect(srv.messages()).toHaveLength(0);
    expect(messageRows(ws)).toEqual([]);
    const yes = drive([['Send them now?', 'y\r']], ['dispatch', REF, '--only', 'AUT,FRA'], ws, env);
    expect(yes.code, yes.screen).toBe(0);
    expect(yes.screen).toMatch(/Sending \[#+\] 2\/2/);
    expect(srv.messages()).toHaveLength(2);
  });

  it('--resolve asks, for each message in doubt, whether it left', async () => {
    const srv = await startSmtpServer({ dropAfterData: [1] });
    servers.push(srv);
    const ws = generatedWorkspace();
    useServer(ws, srv);
    const env = { ...process.env, NV_SMTP_PASSWORD: srv.password, NV_ACTOR: 'officer-2 Ben' };
    expect(nv(['dispatch', REF, '--only', 'AUT', '--yes'], { cwd: ws, env }).code).toBe(1);
    const { screen, code } = drive([['Did it leave?', '\r']], ['dispatch', REF, '--resolve'], ws, env);
    expect(code, screen).toBe(0);
    expect(screen).toContain('AUT Austria: registry@mission.aut.example.org  <nv.CU.2012.150.AUT.');
    expect(screen).toContain('1 message(s) recorded; a message recorded failed is sent by the next run.');
    expect(messageRows(ws)[0]).toMatchObject({ status: 'sent', server_reply: 'confirmed by officer-2 Ben' });
  });
});
