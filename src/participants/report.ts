import { formatDate, formatTitleDates } from '../dates.js';
import type { Block, ReportDocument, Run } from '../render/document.js';
import { fillLabel, labelsFor, type Labels } from '../text/labels.js';
import { spaceReport } from '../text/spaces.js';
import type { Workspace } from '../workspace/load.js';
import type { ConsolidatedList, ListedParticipant } from './consolidate.js';

const para = (runs: Run[], extra: Partial<Extract<Block, { type: 'paragraph' }>> = {}): Block => ({
  type: 'paragraph',
  align: 'left',
  runs,
  ...extra,
});

/** One person, the UN way: "H.E. Mr. Name FAMILYNAME", then the title, then the ministry, each on its own line. */
function personBlocks(p: ListedParticipant, contacts: boolean, words: Labels['list']): Block[] {
  const lines: Run[][] = [[{ text: p.displayName }]];
  if (p.title.trim()) lines.push([{ text: p.title }]);
  if (p.organization.trim()) lines.push([{ text: p.organization }]);
  if (contacts && p.email) lines.push([{ text: words.email }, { text: p.email, link: `mailto:${p.email}` }]);
  if (contacts && p.phone) lines.push([{ text: fillLabel(words.phone, { phone: p.phone }) }]);
  return lines.map((runs, i) => para(runs, { indent: 18, spaceAfter: i === lines.length - 1 ? 6 : 0 }));
}

/**
 * The dates as UN document titles write them: "22 and 23 October 2012" for two days in a row,
 * "15-19 October 2012" for more (dates.ts, formatTitleDates, in the six languages).
 */
export function titleDates(start: string, end: string, language = 'en'): string {
  return formatTitleDates(start, end, language);
}

function capitalised(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

/**
 * The consolidated list of participants as a report document, for the DOCX and PDF renderers:
 * the cover (meeting, place and dates, "prepared on the basis of information received as at",
 * the numbers of States and participants per category), then each category, each State, each
 * person. A State's heading is kept with its first person; a person is never split over pages.
 * Every word is in the list's language (text/labels.ts), with its no-break spaces (text/spaces.ts).
 */
export function participantsReport(
  ws: Workspace,
  list: ConsolidatedList,
  opts: { contacts: boolean },
): ReportDocument {
  const m = ws.config.meeting;
  const lang = list.language;
  const words = labelsFor(lang).list;
  const asAt = formatDate(list.asAt, lang);
  const cell = (text: string, bold = false): Run[] => [bold ? { text, bold } : { text }];
  const counted = list.counts.filter((c) => c.delegations > 0);
  const body: Block[] = [
    para([{ text: fillLabel(words.preparedAsAt, { date: asAt }), italic: true }], {
      align: 'center',
      spaceAfter: 12,
    }),
  ];
  if (list.only)
    body.push(
      para([{ text: fillLabel(words.participantsIn, { meeting: list.only.name }) }], {
        align: 'center',
        spaceAfter: 12,
      }),
    );
  body.push({
    type: 'table',
    columns: [
      { width: 0.5, align: 'left' },
      { width: 0.25, align: 'right' },
      { width: 0.25, align: 'right' },
    ],
    header: [cell(words.category), cell(words.delegations), cell(words.participants)],
    rows: [
      ...counted.map((c) => [cell(c.heading), cell(String(c.delegations)), cell(String(c.participants))]),
      [
        cell(words.total, true),
        cell(String(list.totals.delegations), true),
        cell(String(list.totals.participants), true),
      ],
    ],
  });
  if (list.totals.participants === 0)
    body.push(
      para([{ text: words.noParticipants, italic: true }], {
        align: 'center',
        spaceBefore: 12,
      }),
    );
  else
    body.push(
      { type: 'page-break' },
      { type: 'heading', level: 1, align: 'center', runs: [{ text: words.title }] },
    );
  for (const section of list.sections) {
    body.push({ type: 'heading', level: 1, runs: [{ text: section.heading }] });
    for (const d of section.delegations) {
      const [first, ...rest] = d.participants;
      const heading: Block = { type: 'heading', level: 2, runs: [{ text: d.name }] };
      body.push({
        type: 'group',
        blocks: first ? [heading, ...personBlocks(first, opts.contacts, words)] : [heading],
      });
      for (const p of rest) body.push({ type: 'group', blocks: personBlocks(p, opts.contacts, words) });
    }
  }
  const symbol = m.list_symbol ?? m.key;
  return spaceReport({
    kind: 'report',
    meta: {
      title: fillLabel(words.metaTitle, { symbol }),
      author: ws.config.sender.author,
      language: lang,
      subject: capitalised(m.title),
      created: new Date(`${list.asAt}T00:00:00Z`),
    },
    symbol,
    masthead: words.masthead,
    distribution: [words.distribution, asAt, '', words.languageOnly],
    titleLines: [
      [{ text: capitalised(m.title) }],
      [
        {
          text: `${m.place.split(',')[0]}${lang === 'zh' ? '，' : lang === 'ar' ? '، ' : ', '}${titleDates(m.start, m.end, lang)}`,
        },
      ],
    ],
    body,
    pageNumber: '{n}',
    continued: labelsFor(lang).continued,
  });
}
