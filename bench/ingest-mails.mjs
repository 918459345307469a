// Generates the mailbox that bench/ingest.mjs feeds to `nv ingest`: replies to the note verbale
// CU 2012/150(A)/DTA/CEB/CSS as the secretariat's mail server (mx1.unvienna.org) received them in
// September 2012, from the ministries and missions of the 195 invited States of the example
// workspace, each with one to three scanned notes (PDFs of 1–4 full-page grey JPEG scans) and now
// and then a CSV delegation list. Deterministic: the same seed gives the same bytes (given the same
// scan images, which are made once with ImageMagick from the scan in fixtures/replies).
//
//   node bench/ingest-mails.mjs [--count 1000] [--seed 2012] [--out bench/out/ingest-mails]
//
// Messages are written in four folders (for 1,000: 0001-0250/, 0251-0500/, …), so that the first
// quarter or half can be ingested by naming folders.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PDFDocument, PDFHexString, PDFName, PDFRawStream } from 'pdf-lib';

const ROOT = resolve(import.meta.dirname, '..');
const REF = 'CU 2012/150(A)/DTA/CEB/CSS';
const SECRETARIAT = 'uncac.cop@unodc.org';
/** Bumped when the generator's output changes, so that a cached mailbox is made again. */
const GENERATOR_VERSION = 3;

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32)

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    /** `table` is [[value, weight], …]. */
    weighted: (table) => {
      const total = table.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [v, w] of table) if ((x -= w) < 0) return v;
      return table[table.length - 1][0];
    },
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
    shuffle: (xs) => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// The scans: six grey 150 dpi A4 pages made once from the fixture scan (the signed Austrian
// note): the whole note, its annex (the delegation paragraphs alone) and its last page (closing
// formula, stamp and signature alone), each at two skews.

const SCAN_VARIANTS = [
  // name, ImageMagick arguments after "-colorspace Gray" (input: the 1240x1754 fixture scan)
  [
    'note-a',
    [
      '-background',
      'white',
      '-rotate',
      '-0.4',
      '-gravity',
      'center',
      '-crop',
      '1240x1754+0+0',
      '+repage',
      '-quality',
      '25',
    ],
  ],
  [
    'note-b',
    [
      '-background',
      'white',
      '-rotate',
      '0.5',
      '-gravity',
      'center',
      '-crop',
      '1240x1754+0+0',
      '+repage',
      '-level',
      '4%,96%',
      '-quality',
      '25',
    ],
  ],
  [
    'annex-a',
    [
      '-crop',
      '1240x250+0+620',
      '+repage',
      '-background',
      'white',
      '-gravity',
      'north',
      '-splice',
      '0x260',
      '-extent',
      '1240x1754',
      '-rotate',
      '-0.8',
      '-gravity',
      'center',
      '-crop',
      '1240x1754+0+0',
      '+repage',
      '-quality',
      '30',
    ],
  ],
  [
    'annex-b',
    [
      '-crop',
      '1240x250+0+620',
      '+repage',
      '-background',
      'white',
      '-gravity',
      'north',
      '-splice',
      '0x180',
      '-extent',
      '1240x1754',
      '-rotate',
      '0.3',
      '-gravity',
      'center',
      '-crop',
      '1240x1754+0+0',
      '+repage',
      '-quality',
      '30',
    ],
  ],
  [
    'last-a',
    [
      '-crop',
      '1240x500+0+800',
      '+repage',
      '-background',
      'white',
      '-gravity',
      'north',
      '-splice',
      '0x200',
      '-extent',
      '1240x1754',
      '-rotate',
      '0.6',
      '-gravity',
      'center',
      '-crop',
      '1240x1754+0+0',
      '+repage',
      '-quality',
      '30',
    ],
  ],
  [
    'last-b',
    [
      '-crop',
      '1240x500+0+800',
      '+repage',
      '-background',
      'white',
      '-gravity',
      'north',
      '-splice',
      '0x150',
      '-extent',
      '1240x1754',
      '-rotate',
      '-0.5',
      '-gravity',
      'center',
      '-crop',
      '1240x1754+0+0',
      '+repage',
      '-quality',
      '30',
    ],
  ],
];

/** The JPEG inside fixtures/replies/scanned-reply.pdf (a DCTDecode image XObject). */
async function fixtureScanJpeg() {
  const pdf = await PDFDocument.load(readFileSync(join(ROOT, 'fixtures', 'replies', 'scanned-reply.pdf')));
  for (const [, obj] of pdf.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode'))
      return obj.contents;
  }
  throw new Error('no JPEG in fixtures/replies/scanned-reply.pdf');
}

/** Makes the page images once (ImageMagick `convert`); returns { name: bytes }. */
export async function scanPages(dir) {
  mkdirSync(dir, { recursive: true });
  const pages = {};
  let source;
  for (const [name, args] of SCAN_VARIANTS) {
    const file = join(dir, `${name}.jpg`);
    if (!existsSync(file)) {
      source ??= join(dir, 'fixture-scan.jpg');
      if (!existsSync(source)) writeFileSync(source, await fixtureScanJpeg());
      execFileSync('convert', [
        source,
        '-colorspace',
        'Gray',
        ...args,
        '-density',
        '150',
        '-units',
        'PixelsPerInch',
        '-strip',
        file,
      ]);
    }
    pages[name] = readFileSync(file);
  }
  return pages;
}

// ---------------------------------------------------------------------------------------------
// Senders

// ISO 3166-1 alpha-3 → country-code top-level domain, for the 195 States.
const CCTLD = Object.fromEntries(
  (
    'AFG af ALB al DZA dz AND ad AGO ao ATG ag ARG ar ARM am AUS au AUT at AZE az BHS bs BHR bh BGD bd ' +
    'BRB bb BLR by BEL be BLZ bz BEN bj BTN bt BOL bo BIH ba BWA bw BRA br BRN bn BGR bg BFA bf BDI bi ' +
    'CPV cv KHM kh CMR cm CAN ca CAF cf TCD td CHL cl CHN cn COL co COM km COG cg CRI cr CIV ci HRV hr ' +
    'CUB cu CYP cy CZE cz PRK kp COD cd DNK dk DJI dj DMA dm DOM do ECU ec EGY eg SLV sv GNQ gq ERI er ' +
    'EST ee SWZ sz ETH et FJI fj FIN fi FRA fr GAB ga GMB gm GEO ge DEU de GHA gh GRC gr GRD gd GTM gt ' +
    'GIN gn GNB gw GUY gy HTI ht VAT va HND hn HUN hu ISL is IND in IDN id IRN ir IRQ iq IRL ie ISR il ' +
    'ITA it JAM jm JPN jp JOR jo KAZ kz KEN ke KIR ki KWT kw KGZ kg LAO la LVA lv LBN lb LSO ls LBR lr ' +
    'LBY ly LIE li LTU lt LUX lu MDG mg MWI mw MYS my MDV mv MLI ml MLT mt MHL mh MRT mr MUS mu MEX mx ' +
    'FSM fm MCO mc MNG mn MNE me MAR ma MOZ mz MMR mm NAM na NRU nr NPL np NLD nl NZL nz NIC ni NER ne ' +
    'NGA ng MKD mk NOR no OMN om PAK pk PLW pw PAN pa PNG pg PRY py PER pe PHL ph POL pl PRT pt QAT qa ' +
    'KOR kr MDA md ROU ro RUS ru RWA rw KNA kn LCA lc VCT vc WSM ws SMR sm STP st SAU sa SEN sn SRB rs ' +
    'SYC sc SLE sl SGP sg SVK sk SVN si SLB sb SOM so ZAF za SSD ss ESP es LKA lk PSE ps SDN sd SUR sr ' +
    'SWE se CHE ch SYR sy TJK tj THA th TLS tl TGO tg TON to TTO tt TUN tn TUR tr TKM tm TUV tv UGA ug ' +
    'UKR ua ARE ae GBR uk TZA tz USA us URY uy UZB uz VUT vu VEN ve VNM vn YEM ye ZMB zm ZWE zw'
  )
    .match(/[A-Z]{3} [a-z]{2}/g)
    .map((p) => p.split(' ')),
);

const SPANISH = new Set(
  'ARG BOL CHL COL CRI CUB DOM ECU SLV GNQ GTM HND MEX NIC PAN PRY PER ESP URY VEN'.split(' '),
);
const FRENCH = new Set(
  'BEL BEN BFA BDI CMR CAF TCD COM COG CIV COD DJI FRA GAB GIN HTI LUX MDG MLI MCO MAR NER RWA SEN SYC TGO TUN'.split(
    ' ',
  ),
);
const RUSSIAN = new Set('ARM AZE BLR KAZ KGZ RUS TJK TKM UZB'.split(' '));

/** A State's name as a folded slug for mailbox names: "Côte d'Ivoire" → "cotedivoire". */
const slug = (name) =>
  name
    .replace(/\s*\(.*\)$/, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const SENDER_ZONES = [
  ['+0200', 60],
  ['+0100', 8],
  ['+0300', 6],
  ['+0400', 4],
  ['+0530', 3],
  ['+0700', 3],
  ['+0800', 4],
  ['+0900', 3],
  ['-0300', 3],
  ['-0400', 3],
  ['-0500', 3],
];

/** One to three mailboxes a State writes from: its ministry, its mission in Vienna, webmail. */
function sendersOf(r, state) {
  const cc = CCTLD[state.code] ?? 'int';
  const s = slug(state.name);
  const mission = `Permanent Mission of ${state.inText} to the United Nations (Vienna)`;
  const known = state.domains;
  const ministry = known.length
    ? known[0]
    : r.pick([
        `mfa.gov.${cc}`,
        `mfa.${cc}`,
        `foreign.gov.${cc}`,
        `mofa.gov.${cc}`,
        `mae.gov.${cc}`,
        `diplomacy.gov.${cc}`,
      ]);
  const out = [
    {
      address: `${r.pick(['unvienna', 'mission.vienna', 'un.wien', 'multilateral', 'io.vienna'])}@${ministry}`,
      name: mission,
      domain: ministry,
      zone: known.length || r.next() < 0.7 ? '+0200' : r.weighted(SENDER_ZONES),
      ip: `${r.int(41, 217)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    },
  ];
  if (r.next() < 0.5) {
    const [local, domain] = r.pick([
      [`${s}.mission.vienna`, 'gmail.com'],
      [`${s}embassyvienna`, 'yahoo.com'],
      [`${s}_vienna`, 'hotmail.com'],
      ['office', `${s}-embassy.at`],
      ['vienna', `${s}mission.at`],
    ]);
    out.push({
      address: `${local}@${domain}`,
      name: r.next() < 0.6 ? mission : `Embassy of ${state.inText} in Vienna`,
      domain,
      zone: '+0200',
      ip: `${r.int(62, 213)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    });
  }
  if (r.next() < 0.3) {
    const domain = known[known.length - 1] ?? ministry;
    out.push({
      address: `${r.pick(['legal', 'treaties', 'un.desk', 'crime.prevention'])}@${domain}`,
      name: `Ministry of Foreign Affairs of ${state.inText}`,
      domain,
      zone: out[0].zone,
      ip: out[0].ip,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// MIME

const b64 = (bytes) => Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
const isAscii = (s) => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 encoded words of at most ~60 characters of base64 each. */
function encodedWords(text) {
  if (isAscii(text)) return text;
  const chars = [...text];
  const words = [];
  for (let i = 0; i < chars.length; i += 24)
    words.push(`=?utf-8?B?${Buffer.from(chars.slice(i, i + 24).join('')).toString('base64')}?=`);
  return words.join('\r\n ');
}

/** A header folded at spaces to lines of at most 78 characters. */
function header(name, value) {
  const line = `${name}: ${value}`;
  if (line.length <= 78 || value.includes('=?')) return line;
  const out = [];
  let cur = '';
  for (const w of line.split(' ')) {
    if (cur && cur.length + 1 + w.length > 76) {
      out.push(cur);
      cur = ` ${w}`;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  out.push(cur);
  return out.join('\r\n');
}

function nameParams(name) {
  if (isAscii(name)) return { type: `; name="${name}"`, disposition: `; filename="${name}"` };
  const pct = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return {
    type: `; name="${encodedWords(name).replace(/\r\n /g, ' ')}"`,
    disposition: `; filename*=utf-8''${pct}`,
  };
}

function attachmentPart({ type, name, bytes }) {
  const p = nameParams(name);
  return [
    `Content-Type: ${type}${p.type}`,
    `Content-Disposition: attachment${p.disposition}`,
    'Content-Transfer-Encoding: base64',
    '',
    b64(bytes),
  ].join('\r\n');
}

function textPart(subtype, text) {
  if (isAscii(text.replace(/\n/g, ' ')))
    return `Content-Type: text/${subtype}; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${text.replace(/\n/g, '\r\n')}`;
  return `Content-Type: text/${subtype}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(text.replace(/\n/g, '\r\n')))}`;
}

function multipart(subtype, boundary, parts, preamble = '') {
  return {
    type: `multipart/${subtype}; boundary="${boundary}"`,
    body: `${preamble}${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// Dates

const WD = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** RFC 5322 date of the instant `ms` as a clock at `zone` ("+0200") shows it. */
function rfc5322(ms, zone) {
  const sign = zone[0] === '-' ? -1 : 1;
  const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const d = new Date(ms + offset * 60_000);
  return `${WD[d.getUTCDay()]}, ${d.getUTCDate()} ${MON[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${zone}`;
}

/** yyyymmddhhmmss of the instant at Vienna (+0200), for scanner file names and PDF dates. */
function stamp(ms) {
  const d = new Date(ms + 2 * 3600_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

// ---------------------------------------------------------------------------------------------
// Attachments

const SCANNERS = [
  {
    producer: 'KONICA MINOLTA bizhub C364e',
    creator: null,
    name: (t) => `SKMBT_C364e${t.slice(2, 12)}${t.slice(12)}.pdf`,
  },
  { producer: 'Canon iR-ADV C5051  PDF', creator: 'Canon iR-ADV C5051', name: (t) => `${t}.pdf` },
  { producer: 'RICOH Aficio MP C3002', creator: 'RICOH Aficio MP C3002', name: (t) => `${t}.pdf` },
  {
    producer: 'Xerox WorkCentre 7855',
    creator: null,
    name: (t) => `Scan_${t.slice(0, 8)}_${t.slice(8)}.pdf`,
  },
  {
    producer: 'HP Digital Sending Software 5.0',
    creator: 'HP LaserJet M4555 MFP',
    name: (t) => `DOC${t.slice(2, 8)}-${t}.pdf`,
  },
  { producer: 'Adobe Acrobat 9.5 Paper Capture Plug-in', creator: 'Adobe Acrobat 9.5', name: () => null },
];

/** A scanned PDF: each page one full-page JPEG, A4 (Letter from some scanners), scanner metadata. */
async function scanPdf(r, pages, kinds, at, scanner) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const letter = r.next() < 0.1;
  const [w, h] = letter ? [612, 792] : [595.28, 841.89];
  const embedded = new Map();
  for (const k of kinds) {
    const variant = `${k}-${r.pick(['a', 'b'])}`;
    let img = embedded.get(variant);
    if (!img) embedded.set(variant, (img = await doc.embedJpg(pages[variant])));
    doc.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
  }
  const created = new Date(at - r.int(120, 3 * 86400) * 1000);
  doc.setProducer(scanner.producer);
  if (scanner.creator) doc.setCreator(scanner.creator);
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const id = PDFHexString.of(r.hex(32));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  return doc.save({ useObjectStreams: false, addDefaultPage: false });
}

const GIVEN = [
  'Maria',
  'Ahmed',
  'Olga',
  'John',
  'Fatima',
  'Carlos',
  'Li',
  'Amina',
  'Pierre',
  'Elena',
  'Kwame',
  'Sofía',
  'Hiroshi',
  'Nadia',
  'Peter',
  'Aisha',
  'José',
  'Anna',
];
const FAMILY = [
  'SMITH',
  'HASSAN',
  'PETROVA',
  'GARCÍA',
  'DIALLO',
  'WANG',
  'MÜLLER',
  'OKAFOR',
  'DUBOIS',
  'SILVA',
  'KIM',
  'NOWAK',
  'MENSAH',
  'RAHMAN',
  'IVANOV',
  'LÓPEZ',
];
const TITLES = [
  'Ambassador, Permanent Representative',
  'Counsellor',
  'First Secretary',
  'Senior Prosecutor',
  'Legal Adviser',
  'Director, International Cooperation',
  'Judge',
];
const ROLES = ['Head of delegation', 'Alternate head', 'Member', 'Adviser'];
const MEETINGS = ['both', 'UNCAC', 'UNTOC WG'];

function delegationCsv(r, state, domain) {
  const rows = [
    [
      'State',
      'Honorific',
      'Given name',
      'Family name',
      'Title',
      'Ministry/Institution',
      'Role',
      'E-mail',
      'Telephone',
      'Meetings',
    ],
  ];
  const n = r.int(2, 7);
  for (let i = 0; i < n; i++) {
    const given = r.pick(GIVEN);
    const family = r.pick(FAMILY);
    rows.push([
      state.name,
      r.pick(['Mr.', 'Ms.', 'H.E. Mr.', 'H.E. Ms.', 'Dr.']),
      given,
      family,
      r.pick(TITLES),
      r.pick([
        'Ministry of Foreign Affairs',
        'Ministry of Justice',
        `Permanent Mission of ${state.inText} to the United Nations (Vienna)`,
        'Office of the Attorney General',
      ]),
      i === 0 ? ROLES[0] : r.pick(ROLES.slice(1)),
      `${slug(given)}.${slug(family)}@${domain}`,
      r.next() < 0.7 ? `+${r.int(1, 99)} ${r.int(1, 99)} ${r.int(100, 999)} ${r.int(1000, 9999)}` : '',
      r.pick(MEETINGS),
    ]);
  }
  const q = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = rows.map((row) => row.map(q).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([
    r.next() < 0.5 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
    Buffer.from(text),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Messages

const BODIES = {
  en: (state, what) =>
    `Dear Sir or Madam,\n\nThe Permanent Mission of ${state.inText} to the United Nations (Vienna) presents its compliments to the Secretariat of the United Nations Office on Drugs and Crime and has the honour to transmit herewith ${what} in reply to note verbale ${REF}.\n\nThe original will follow by diplomatic pouch.\n\nBest regards,\nPermanent Mission of ${state.inText}\n`,
  fr: (state) =>
    `Madame, Monsieur,\n\nVeuillez trouver ci-joint la réponse de la Mission permanente à la note verbale ${REF} relative à la composition de la délégation (${state.name}).\n\nAvec nos salutations distinguées,\nLa Mission permanente\n`,
  es: (state) =>
    `Estimados señores:\n\nAdjunto encontrarán la nota verbal de respuesta a la nota ${REF}, con la composición de la delegación (${state.name}) que participará en la reunión.\n\nAtentamente,\nMisión Permanente\n`,
  ru: (state) =>
    `Уважаемые господа,\n\nнаправляем ответ Постоянного представительства на вербальную ноту ${REF} (${state.name}): состав делегации.\n\nС уважением,\nПостоянное представительство\n`,
};

function subjectOf(r, state, nth, lang) {
  const again = nth > 0;
  if (lang === 'fr' && r.next() < 0.5)
    return `${again ? 'Complément : ' : ''}Note verbale – composition de la délégation (${state.name}) – ${REF}`;
  if (lang === 'es' && r.next() < 0.5)
    return `${again ? 'Addendum: ' : ''}Nota verbal – composición de la delegación de ${state.name} – ${REF}`;
  if (lang === 'ru' && r.next() < 0.5)
    return `${again ? 'Доп.: ' : ''}Вербальная нота ${REF} – ${state.name}`;
  if (again)
    return r.pick([
      `RE: ${REF} - delegation of ${state.name}`,
      `Addendum: composition of the delegation of ${state.name} (${REF})`,
      `Corrigendum - note verbale of the Permanent Mission of ${state.inText} (${REF})`,
      `Updated delegation list - ${state.name} - ${REF}`,
      `FW: Note verbale ${REF} (${state.name})`,
    ]);
  return r.pick([
    `Note verbale: composition of the delegation of ${state.name} (${REF})`,
    `Reply to note verbale ${REF} - ${state.name}`,
    `${REF} - Expert meeting on international cooperation, 22-23 October 2012 - ${state.name}`,
    `NV ${REF}: delegation of ${state.inText}`,
    `RE: ${REF}`,
  ]);
}

const MAILERS = [
  'Microsoft Outlook 14.0',
  'Microsoft Office Outlook 12.0',
  'Lotus Notes Release 8.5.3 September 15, 2011',
  null,
  null,
];

/** The i-th message (0-based): bytes and what it carries, for the checks. */
async function message(r, i, state, nth, pages) {
  const sender = r.pick(state.senders);
  const lang = SPANISH.has(state.code)
    ? 'es'
    : FRENCH.has(state.code)
      ? 'fr'
      : RUSSIAN.has(state.code)
        ? 'ru'
        : 'en';
  const useLang = lang !== 'en' && r.next() < 0.6 ? lang : 'en';

  // Received in September 2012: mostly before the 24 September deadline, some later; office hours mostly.
  const day = r.weighted([
    ...Array.from({ length: 21 }, (_, d) => [d + 3, d < 10 ? 2 : 4]),
    [24, 8],
    ...Array.from({ length: 6 }, (_, d) => [d + 25, 1]),
  ]);
  const hour = r.next() < 0.85 ? r.int(7, 18) : r.int(0, 23);
  const receivedMs = Date.UTC(2012, 8, day, hour - 2, r.int(0, 59), r.int(0, 59));
  const sentMs = receivedMs - r.int(2, 90) * 1000;

  // Attachments: the scanned reply, sometimes its annex or the credentials, now and then a CSV.
  const nAttach = r.weighted([
    [1, 65],
    [2, 25],
    [3, 10],
  ]);
  const attachments = [];
  const documents = [];
  const scanner = SCANNERS[(state.index + nth) % SCANNERS.length];
  for (let a = 0; a < nAttach; a++) {
    const nPages = r.weighted([
      [1, 40],
      [2, 30],
      [3, 18],
      [4, 12],
    ]);
    const kinds =
      a === 1 && r.next() < 0.6
        ? Array.from({ length: nPages }, () => 'annex')
        : [
            'note',
            ...Array.from({ length: Math.max(0, nPages - 2) }, () => 'annex'),
            ...(nPages > 1 ? ['last'] : []),
          ];
    const bytes = await scanPdf(r, pages, kinds, sentMs, scanner);
    const t = stamp(sentMs - r.int(60, 7200) * 1000);
    const name =
      (r.next() < 0.5 ? scanner.name(t) : null) ??
      r.pick([
        `NV_${state.code}_CU-2012-150.pdf`,
        `Note verbale ${state.name}${a ? ` (${a + 1})` : ''}.pdf`,
        `Reply ${REF.replace(/\//g, '-')}${a ? `-${a + 1}` : ''}.pdf`,
        useLang === 'fr'
          ? `Réponse NV délégation${a ? ` ${a + 1}` : ''}.pdf`
          : `scan${pad(r.int(1, 999), 4)}.pdf`,
        useLang === 'es'
          ? `Respuesta NV delegación${a ? ` ${a + 1}` : ''}.pdf`
          : `Delegation_${state.code}_${a + 1}.pdf`,
      ]);
    attachments.push(
      attachmentPart({ type: r.next() < 0.9 ? 'application/pdf' : 'application/octet-stream', name, bytes }),
    );
    documents.push({ kind: 'pdf', pages: kinds.length, size: bytes.length });
  }
  if (r.next() < 0.06) {
    const bytes = delegationCsv(r, state, sender.domain);
    attachments.push(
      attachmentPart({
        type: r.pick(['text/csv', 'application/vnd.ms-excel', 'text/comma-separated-values']),
        name: `delegation_${state.code}.csv`,
        bytes,
      }),
    );
    documents.push({ kind: 'csv', pages: 0, size: bytes.length });
  }

  const what =
    nAttach > 1
      ? `the reply of the Government and its annexes (${nAttach} files)`
      : 'the reply of the Government';
  const body = BODIES[useLang](state, what);
  const tag = r.hex(12).toUpperCase();
  let content;
  if (r.next() < 0.5) {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><p>${body
      .trim()
      .split('\n\n')
      .map((p) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>'))
      .join('</p><p>')}</p></body></html>\n`;
    const alt = multipart('alternative', `_000_${tag}ALT_`, [
      textPart('plain', body),
      textPart('html', html),
    ]);
    content = multipart('mixed', `_004_${tag}_`, [
      `Content-Type: ${alt.type}\r\n\r\n${alt.body}`,
      ...attachments,
    ]);
  } else {
    content = multipart(
      'mixed',
      `----=_Part_${r.int(10000, 99999)}_${r.int(100000000, 999999999)}.${receivedMs}`,
      [textPart('plain', body), ...attachments],
      'This is a multi-part message in MIME format.\r\n\r\n',
    );
  }

  const subject = subjectOf(r, state, nth, useLang);
  const mx = `${r.hex(10).toUpperCase()}`;
  const outHost = sender.domain.endsWith('gmail.com')
    ? `mail-${r.pick(['wi0', 'we0', 'ee0', 'bk0'])}-f${r.int(40, 199)}.google.com`
    : sender.domain.endsWith('yahoo.com')
      ? `nm${r.int(1, 40)}-vm${r.int(0, 9)}.bullet.mail.ird.yahoo.com`
      : sender.domain.endsWith('hotmail.com')
        ? `blu0-omc${r.int(1, 4)}-s${r.int(1, 40)}.blu0.hotmail.com`
        : `mail.${sender.domain}`;
  const headers = [
    `Received: from ${outHost} (${outHost} [${sender.ip}])\r\n\tby mx1.unvienna.org (Postfix) with ESMTPS id ${mx}\r\n\tfor <${SECRETARIAT}>; ${rfc5322(receivedMs, '+0200')} (CEST)`,
    `Received: from [10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}] (helo=PC-${r.hex(4).toUpperCase()})\r\n\tby ${outHost} with esmtpa; ${rfc5322(sentMs + 1000, sender.zone)}`,
    header(
      'From',
      `${isAscii(sender.name) ? `"${sender.name}"` : encodedWords(sender.name)} <${sender.address}>`,
    ),
    header('To', r.next() < 0.8 ? SECRETARIAT : `"UNCAC COP Secretariat" <${SECRETARIAT}>`),
    ...(r.next() < 0.2 ? [header('Cc', `"Registry" <registry@unodc.org>`)] : []),
    header('Subject', encodedWords(subject)),
    `Date: ${rfc5322(sentMs, sender.zone)}`,
    `Message-ID: <${r.hex(8).toUpperCase()}.${r.hex(6)}.${i}@${sender.domain}>`,
    ...(() => {
      const m = r.pick(MAILERS);
      return m ? [`X-Mailer: ${m}`] : [];
    })(),
    'MIME-Version: 1.0',
    `Content-Type: ${content.type}`,
  ];
  const bytes = Buffer.from(`${headers.join('\r\n')}\r\n\r\n${content.body}`);
  return { bytes, documents, state: state.code, domain: sender.domain };
}

/** recipients.csv of the example workspace, with each State's name as a sentence says it. */
async function states() {
  const text = readFileSync(join(ROOT, 'fixtures', 'uncac-2012', 'recipients.csv'), 'utf8');
  const [, ...rows] = text.trimEnd().split(/\r?\n/);
  const { UN_STATES } = await import(join(ROOT, 'dist', 'states', 'un-states.js'));
  const info = new Map(UN_STATES.map((s) => [s.iso3, s]));
  return rows.map((line, index) => {
    const cells = line.split(','); // no quoted cells in this file
    const code = cells[0];
    return {
      index,
      code,
      name: cells[1],
      inText: info.get(code)?.inText ?? cells[1],
      domains: (cells[5] ?? '').split(/\s+/).filter(Boolean),
    };
  });
}

/**
 * Writes `count` messages into `out` (four folders) unless a mailbox made by this generator
 * with the same count and seed is already there. Returns its manifest: totals and per-file facts.
 */
export async function generateMails({
  count = 1000,
  seed = 2012,
  out = join(ROOT, 'bench', 'out', 'ingest-mails'),
} = {}) {
  const batch = Math.ceil(count / 4);
  const pages = await scanPages(join(resolve(out, '..'), 'ingest-scans'));
  const pageKey = createHash('sha256');
  for (const k of Object.keys(pages).sort()) pageKey.update(pages[k]);
  const key = `${GENERATOR_VERSION}/${count}/${batch}/${seed}/${pageKey.digest('hex').slice(0, 16)}`;
  const manifestFile = `${out}.manifest.json`; // beside the folder: nv ingest reads all of it
  if (existsSync(manifestFile)) {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (m.key === key) return m;
  }
  rmSync(out, { recursive: true, force: true });
  rmSync(manifestFile, { force: true });

  const r = rng(seed);
  const all = await states();
  for (const s of all) s.senders = sendersOf(r, s);
  const order = r.shuffle(all); // the first 195 messages: one from each State, then repeats
  const seen = new Map();
  const files = [];
  const shas = new Set();
  for (let i = 0; i < count; i++) {
    const state = i < order.length ? order[i] : r.pick(all);
    const nth = seen.get(state.code) ?? 0;
    seen.set(state.code, nth + 1);
    const m = await message(r, i, state, nth, pages);
    const lo = Math.floor(i / batch) * batch;
    const folder = `${pad(lo + 1, 4)}-${pad(Math.min(lo + batch, count), 4)}`;
    mkdirSync(join(out, folder), { recursive: true });
    const file = join(folder, `msg-${pad(i + 1, 4)}.eml`);
    writeFileSync(join(out, file), m.bytes);
    const sha = createHash('sha256').update(m.bytes).digest('hex');
    if (shas.has(sha)) throw new Error(`message ${i + 1} repeats the bytes of an earlier one`);
    shas.add(sha);
    files.push({ file, state: m.state, domain: m.domain, size: m.bytes.length, documents: m.documents });
  }
  const docs = files.flatMap((f) => f.documents);
  const manifest = {
    key,
    count,
    seed,
    batch,
    folders: [...new Set(files.map((f) => f.file.split('/')[0]))],
    bytes: files.reduce((s, f) => s + f.size, 0),
    pdfs: docs.filter((d) => d.kind === 'pdf').length,
    csvs: docs.filter((d) => d.kind === 'csv').length,
    pages: docs.reduce((s, d) => s + d.pages, 0),
    pdfBytes: docs.filter((d) => d.kind === 'pdf').reduce((s, d) => s + d.size, 0),
    states: new Set(files.map((f) => f.state)).size,
    files,
  };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifest;
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const t0 = performance.now();
  const m = await generateMails({
    count: Number(opt('--count', 1000)),
    seed: Number(opt('--seed', 2012)),
    out: resolve(opt('--out', join(ROOT, 'bench', 'out', 'ingest-mails'))),
  });
  console.log(
    `${m.count} messages from ${m.states} States, ${(m.bytes / 1e6).toFixed(0)} MB: ${m.pdfs} scanned PDFs (${m.pages} pages, ${(m.pdfBytes / 1e6).toFixed(0)} MB), ${m.csvs} CSV lists (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
