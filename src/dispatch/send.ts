/**
 * `nv dispatch <ref>` by SMTP, exactly once: each message is recorded `sending` (claimSending: the
 * note locked, refused when the note already has a message `sending` or `sent`) BEFORE it is
 * handed to the server, and `sent` with the server's reply after. A run killed in between leaves
 * it `sending`: the next run does not send it again but lists it for the officer
 * (`nv dispatch <ref> --resolve`).
 *
 * Temporary failures (4xx, a connection refused, dropped or timed out before the message was
 * handed over) are tried again with back-off; when the tries are spent the message is `failed`
 * and the batch goes on, unless the server could not be reached at all: then the batch stops. A
 * permanent failure (5xx) is `failed` with the server's words. A login refused stops the batch at
 * once (the message in hand was not handed over: it is `failed`, so the next run sends it). A
 * connection that breaks after the message was handed over leaves it `sending`: it may have left.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '../audit.js';
import { parseMailbox } from '../workspace/email-address.js';
import type { MessageRegister } from '../storage/register.js';
import type { Workspace } from '../workspace/load.js';
import { buildMessage, summariseDispatch, type DispatchPlan, type DispatchSummary } from './plan.js';
import type { MessageRecord } from './records.js';
import { SmtpLink, type SmtpFailure } from './smtp-link.js';
import type { SmtpSettings } from './smtp-settings.js';

export interface SendOutcome {
  state: string;
  name: string;
  messageId: string;
  to: string[];
  cc: string[];
  /** What the register now says of it. */
  status: 'sent' | 'failed' | 'sending';
  /** The server's reply (sent), or its words (failed), or what broke (sending). */
  reply: string;
  tries: number;
}

export interface SendResult extends DispatchSummary {
  server: string;
  sent: SendOutcome[];
  failed: SendOutcome[];
  /** Left `sending` by this run: the connection broke after the message was handed over. */
  uncertain: SendOutcome[];
  /** Claimed meanwhile by another run (sending or sent there): not sent here. */
  skipped: { state: string; name: string; messageId: string; status: string }[];
  /** Messages of the plan not tried because the batch stopped. */
  notTried: number;
  /** Why the batch stopped before the end (one sentence), or undefined. */
  stopped?: { kind: 'auth' | 'unreachable' | 'setup'; message: string };
}

export interface SendOptions {
  actor: Actor;
  again?: boolean | undefined;
  onProgress?: (done: number, total: number) => void;
}

function outcome(
  m: DispatchPlan['messages'][number],
  rec: MessageRecord,
  status: SendOutcome['status'],
  reply: string,
  tries: number,
): SendOutcome {
  return {
    state: m.recipient.code,
    name: m.recipient.name,
    messageId: rec.messageId,
    to: m.to,
    cc: m.cc,
    status,
    reply,
    tries,
  };
}

function stopSentence(s: SmtpSettings, f: SmtpFailure, tries: number): NonNullable<SendResult['stopped']> {
  const where = `${s.host}:${s.port}`;
  if (f.kind === 'auth')
    return {
      kind: 'auth',
      message: s.user
        ? `The mail server ${where} refused the login of ${s.user} (${f.words}); put the right password in NV_SMTP_PASSWORD and run the same command again.`
        : `The mail server ${where} wants a login (${f.words}); write the user in the URL (smtp://user@host:port) and the password in NV_SMTP_PASSWORD.`,
    };
  if (f.kind === 'setup')
    return {
      kind: 'setup',
      message: `The connection to the mail server ${where} failed (${f.words}); check the server's URL, and for a certificate nv does not trust give its CA as dispatch.smtp.ca in nv.yaml.`,
    };
  return {
    kind: 'unreachable',
    message: `The mail server ${where} cannot be reached (${f.words}, ${tries} ${tries === 1 ? 'try' : 'tries'}); check that it runs and the URL, then run the same command again.`,
  };
}

export async function sendDispatch(
  ws: Workspace,
  register: MessageRegister,
  plan: DispatchPlan,
  settings: SmtpSettings,
  opts: SendOptions,
): Promise<SendResult> {
  const result: SendResult = {
    ...summariseDispatch(ws, plan),
    server: settings.server,
    sent: [],
    failed: [],
    uncertain: [],
    skipped: [],
    notTried: 0,
  };
  const total = plan.messages.length;
  const from = parseMailbox(plan.from)!.address;
  const link = new SmtpLink(settings);
  const interval = settings.pace ? 60_000 / settings.pace : 0;
  let lastStart = 0;
  const backOff = (tries: number) => sleep(settings.retryDelayMs * 2 ** (tries - 1));

  /** Opens the connection, trying again on temporary failures; the failure that stops the batch, or undefined. */
  const connect = async (): Promise<{ failure: SmtpFailure; tries: number } | undefined> => {
    for (let tries = 1; ; tries++) {
      try {
        await link.open();
        return undefined;
      } catch (e) {
        const f = e as SmtpFailure;
        if (f.kind !== 'temporary' || tries >= settings.tries) return { failure: f, tries };
        await backOff(tries);
      }
    }
  };

  if (total) opts.onProgress?.(0, total);
  let done = 0;
  try {
    for (const m of plan.messages) {
      if (interval) {
        const wait = lastStart + interval - Date.now();
        if (wait > 0) await sleep(wait);
      }
      lastStart = Date.now();
      // The connection is up before anything is recorded: a server that cannot be reached, or a
      // login refused, stops the batch with nothing claimed.
      const down = await connect();
      if (down) {
        result.stopped = stopSentence(settings, down.failure, down.tries);
        break;
      }
      const { bytes, record } = await buildMessage(plan, m, { draft: false });
      const claim = await register.claimSending(record, opts.actor, { again: opts.again });
      if (!claim.claimed) {
        result.skipped.push({
          state: m.recipient.code,
          name: m.recipient.name,
          messageId: claim.message.messageId,
          status: claim.message.status,
        });
        opts.onProgress?.(++done, total);
        continue;
      }
      const rec = claim.message;
      for (let tries = 1; ; tries++) {
        try {
          const d = await link.send(from, [...m.to, ...m.cc], bytes);
          const refused = d.refused.map((r) => `${r.address} refused: ${r.words}`).join('; ');
          await register.changeMessageStatus(
            rec.id,
            ['sending'],
            { status: 'sent', serverReply: d.response, ...(refused ? { reason: refused } : {}) },
            opts.actor,
          );
          result.sent.push(outcome(m, rec, 'sent', d.response, tries));
          break;
        } catch (e) {
          if (!(e && typeof e === 'object' && 'kind' in e)) throw e;
          const f = e as SmtpFailure;
          if (f.kind === 'uncertain') {
            // Handed over, then the connection broke: it may have left. Left `sending`.
            result.uncertain.push(outcome(m, rec, 'sending', f.words, tries));
            break;
          }
          const retry = f.kind === 'temporary' && tries < settings.tries;
          if (retry) {
            await backOff(tries);
            if (f.connecting) {
              const down = await connect();
              if (!down) continue;
              Object.assign(f, down.failure);
            } else continue;
          }
          // Not handed over (refused, or never reached the server): `failed`, so a rerun sends it.
          const stops = f.kind === 'auth' || f.kind === 'setup' || (f.kind === 'temporary' && f.connecting);
          const reason =
            f.kind === 'permanent'
              ? f.words
              : stops
                ? `not handed to the server: ${f.words}`
                : `${f.words} (after ${tries} ${tries === 1 ? 'try' : 'tries'})`;
          await register.changeMessageStatus(rec.id, ['sending'], { status: 'failed', reason }, opts.actor);
          result.failed.push(outcome(m, rec, 'failed', reason, tries));
          if (stops) result.stopped = stopSentence(settings, f, tries);
          break;
        }
      }
      opts.onProgress?.(++done, total);
      if (result.stopped) break;
    }
  } finally {
    link.close();
  }
  result.notTried = total - done;
  // Left `sending` when this run began: another batch may have been sending them at the time and
  // finished since. Only those still `sending` now are in doubt.
  if (plan.pending.length) {
    const now = new Map(
      (await register.messagesById(plan.pending.map((p) => p.messageId))).map((m) => [m.messageId, m]),
    );
    for (const p of plan.pending) {
      const m = now.get(p.messageId);
      if (m && m.status !== 'sending')
        result.skipped.push({ state: p.state, name: p.name, messageId: p.messageId, status: m.status });
    }
    result.pending = (result.pending ?? []).filter((p) => now.get(p.messageId)?.status === 'sending');
  }
  return result;
}
