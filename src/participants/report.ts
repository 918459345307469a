import { formatDate, formatDateSpan, parsePlainDate } from '../dates.js';
import type { Block, ReportDocument, Run } from '../render/document.js';
import type { Workspace } from '../workspace/load.js';
import type { ConsolidatedList, ListedParticipant } from './consolidate.js';

const para = (runs: Run[], extra: Partial<Extract<Block, { type: 'paragraph' }>> = {}): Block => ({
  type: 'paragraph',
  align: 'left',
  runs,
  ...extra,
});

/** One person, the UN way: "H.E. Mr. Name FAMILYNAME", then the title, then the ministry, each on its own line. */
function personBlocks(p: ListedParticipant, contacts: boolean): Block[] {
  const lines: Run[][] = [[{ text: p.displayName }]];
  if (p.title.trim()) lines.push([{ text: p.title }]);
  if (p.organization.trim()) lines.push([{ text: p.organization }]);
  if (contacts && p.email) lines.push([{ text: 'E-mail: ' }, { text: p.email, link: `mailto:${p.email}` }]);
  if (contacts && p.phone) lines.push([{ text: `Tel.: ${p.phone}` }]);
  return lines.map((runs, i) => para(runs, { indent: 18, spaceAfter: i === lines.length - 1 ? 6 : 0 }));
}

/**
 * The dates as UN document titles write them: "22 and 23 October 2012" for two days in a row,
 * "15-19 October 2012" for more.
 */
export function titleDates(start: string, end: string): string {
  const a = parsePlainDate(start)!;
  const b = parsePlainDate(end)!;
  const next = new Date(Date.UTC(a.year, a.month - 1, a.day + 1)).toISOString().slice(0, 10);
  if (next === end && a.month === b.month) return `${a.day} and ${formatDate(end)}`;
  return formatDateSpan(start, end);
}

function capitalised(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

/**
 * The consolidated list of participants as a report document, for the DOCX and PDF renderers:
 * the cover (meeting, place and dates, "prepared on the basis of information received as at",
 * the numbers of States and participants per category), then each category, each State, each
 * person. A State's heading is kept with its first person; a person is never split over pages.
 */
export function participantsReport(
  ws: Workspace,
  list: ConsolidatedList,
  opts: { contacts: boolean },
): ReportDocument {
  const m = ws.config.meeting;
  const asAt = formatDate(list.asAt);
  const cell = (text: string, bold = false): Run[] => [bold ? { text, bold } : { text }];
  const counted = list.counts.filter((c) => c.delegations > 0);
  const body: Block[] = [
    para([{ text: `Prepared on the basis of information received as at ${asAt}`, italic: true }], {
      align: 'center',
      spaceAfter: 12,
    }),
  ];
  if (list.only)
    body.push(para([{ text: `Participants in the ${list.only.name}` }], { align: 'center', spaceAfter: 12 }));
  body.push({
    type: 'table',
    columns: [
      { width: 0.5, align: 'left' },
      { width: 0.25, align: 'right' },
      { width: 0.25, align: 'right' },
    ],
    header: [cell('Category'), cell('States and organizations'), cell('Participants')],
    rows: [
      ...counted.map((c) => [cell(c.heading), cell(String(c.delegations)), cell(String(c.participants))]),
      [
        cell('Total', true),
        cell(String(list.totals.delegations), true),
        cell(String(list.totals.participants), true),
      ],
    ],
  });
  if (list.totals.participants === 0)
    body.push(
      para([{ text: 'No participant is on the list yet.', italic: true }], {
        align: 'center',
        spaceBefore: 12,
      }),
    );
  else
    body.push(
      { type: 'page-break' },
      { type: 'heading', level: 1, align: 'center', runs: [{ text: 'List of participants' }] },
    );
  for (const section of list.sections) {
    body.push({ type: 'heading', level: 1, runs: [{ text: section.heading }] });
    for (const d of section.delegations) {
      const [first, ...rest] = d.participants;
      const heading: Block = { type: 'heading', level: 2, runs: [{ text: d.name }] };
      body.push({
        type: 'group',
        blocks: first ? [heading, ...personBlocks(first, opts.contacts)] : [heading],
      });
      for (const p of rest) body.push({ type: 'group', blocks: personBlocks(p, opts.contacts) });
    }
  }
  const symbol = m.list_symbol ?? m.key;
  return {
    kind: 'report',
    meta: {
      title: `List of participants – ${symbol}`,
      author: ws.config.sender.author,
      language: 'en',
      subject: capitalised(m.title),
      created: new Date(`${list.asAt}T00:00:00Z`),
    },
    symbol,
    masthead: 'United Nations',
    distribution: ['Distr.: General', asAt, '', 'English only'],
    titleLines: [
      [{ text: capitalised(m.title) }],
      [{ text: `${m.place.split(',')[0]}, ${titleDates(m.start, m.end)}` }],
    ],
    body,
  };
}
