/**
 * The built-in templates in the six UN languages, the starter invitation of `nv init` in each,
 * and the multilingual example's invitations: each is held to its English original (the same
 * front matter, the same blocks with the same variants and conditions, the same placeholders) and
 * filled, for every variant and both sides of every condition, with no placeholder left.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsText, type Block } from '../../src/render/document.js';
import { fillBlocks, fillInline } from '../../src/templates/fill.js';
import { BUILTIN_TEMPLATES, checkPlaceholders, loadTemplate, templatePlaceholders, type Template, type TemplateRef } from '../../src/templates/load.js';
import { conditionsOf, placeholdersOf } from '../../src/templates/markdown.js';
import { buildValues, knownNames, type RecipientFacts } from '../../src/templates/values.js';
import { parseConfig } from '../../src/workspace/load.js';
import type { Recipient } from '../../src/workspace/recipients.js';
import { ROOT } from '../helpers/unit-dist.js';

const LANGUAGES = ['ar', 'zh', 'fr', 'ru', 'es'] as const;
const EXAMPLE_DIR = join(ROOT, 'fixtures', 'uncac-2012-multilingual');
/** The multilingual example's nv.yaml: title, place and address in all six languages. */
// With a previous deadline, for the deadline-change note.
const CONFIG = parseConfig(
  readFileSync(join(EXAMPLE_DIR, 'nv.yaml'), 'utf8').replace(/^( {2}deadline: .*)$/m, '$1\n  previous_deadline: 2012-09-14'),
  'nv.yaml',
);
const KNOWN = knownNames(CONFIG);

function load(dir: string, name: string, language: string, builtin = true): Template {
  const ref: TemplateRef = { name, language, file: join(dir, `${name}.${language}.md`), builtin };
  return loadTemplate(ref);
}

/** What a template is made of, without its words: blocks with their variants and conditions. */
function shape(t: Template) {
  return {
    front: { ...t.front, subject: undefined },
    blocks: t.blocks.map((b) => ({ type: b.type, variants: b.variants, when: b.when ? { ...b.when, line: undefined } : undefined })),
    subject: [...new Set(t.subject.flatMap((x) => (x.type === 'placeholder' ? [x.name] : [])))].sort(),
    placeholders: [...new Set(placeholdersOf(t.blocks).map((p) => p.name))].sort(),
    conditions: [...new Set(conditionsOf(t.blocks).map((p) => p.name))].sort(),
    perBlock: t.blocks.map((b) => [...new Set(placeholdersOf([b]).map((p) => p.name))].sort()),
  };
}

function recipient(language: string, category: Recipient['category'] = 'party'): Recipient {
  return {
    code: 'EGY',
    name: 'Egypt',
    inText: 'Egypt',
    category,
    addressee: 'الممثل الدائم لجمهورية مصر العربية لدى الأمم المتحدة (فيينا)',
    language,
    domains: [],
    email: [],
    cc: [],
    line: 2,
  };
}

const FACTS: RecipientFacts = {
  noteDate: '2012-09-10',
  reference: 'CU 2012/151/DTA/CEB/CSS',
  invitationReference: 'CU 2012/150(A)/DTA/CEB/CSS',
  invitationDate: '2012-08-15',
  replyReceived: '2012-08-20',
  replyReference: 'NV/123',
};
const REFUSED: RecipientFacts = {
  ...FACTS,
  refusal: { received: '2012-08-21', channel: 'email', reason: 'email-not-scanned' },
};

/** Every text the template gives, for each variant and with and without a refused reply. */
function fillAll(t: Template, language: string): string[] {
  const variants = t.front.variants ? Object.keys(t.front.variants) : [''];
  const out: string[] = [];
  for (const variant of variants)
    for (const facts of [FACTS, REFUSED]) {
      const category = variant ? t.front.variants![variant]![0]! : 'party';
      const values = buildValues(CONFIG, recipient(language, category), language, facts);
      out.push(runsText(fillInline(t.subject, values)));
      const blocks: Block[] = fillBlocks(t.blocks, variant, values);
      for (const b of blocks)
        out.push(b.type === 'paragraph' ? runsText(b.runs) : b.type === 'list' ? b.items.map(runsText).join('\n') : '');
    }
  return out;
}

/** Letters of the Latin alphabet left in a text that should have none (the reference, the URL, e-mail and fax aside). */
function latinWords(text: string): string[] {
  const stripped = text
    .replace(/CU 2012\/\d+(\([AB]\))?\/DTA\/CEB\/CSS/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\S+@\S+/g, '')
    .replace(/NV\/123/g, '')
    // Dates are written by src/dates.ts, in each language as far as it knows it.
    .replace(/\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/g, '');
  return stripped.match(/[A-Za-z]{3,}/g) ?? [];
}

describe('the built-in templates in six languages', () => {
  for (const name of ['reminder', 'deadline-change', 'acknowledgement'])
    for (const language of LANGUAGES)
      it(`${name}.${language}.md has the structure, conditions and placeholders of ${name}.en.md and fills completely`, () => {
        const en = load(BUILTIN_TEMPLATES, name, 'en');
        const t = load(BUILTIN_TEMPLATES, name, language);
        expect(shape(t)).toEqual(shape(en));
        expect(() => checkPlaceholders(t, KNOWN)).not.toThrow();
        const texts = fillAll(t, language);
        expect(texts.join('\n')).not.toMatch(/\{\{|\}\}|:::/);
        // The note is in its language: the meeting's title and place in it, no English left.
        const all = texts.join('\n');
        const title = CONFIG.perLanguage['meeting.title']![language]!;
        expect(all).toContain(title);
        if (language !== 'fr' && language !== 'es') expect(latinWords(all)).toEqual([]);
        else expect(all).not.toMatch(/\b(the|of|and|Government|Secretariat|deadline)\b/);
      });

  it('the reminder in each language says why a refused reply was refused, in that language', () => {
    for (const language of LANGUAGES) {
      const t = load(BUILTIN_TEMPLATES, 'reminder', language);
      const refused = fillAll(t, language).join('\n');
      expect(refused).not.toContain('only scanned copies');
      expect(refused).not.toMatch(/\be-mail\b/);
    }
  });
});

describe('the starter invitation of nv init in six languages', () => {
  const starter = join(BUILTIN_TEMPLATES, 'starter');
  for (const language of LANGUAGES)
    it(`invitation.${language}.md is the English starter's structure and fills completely`, () => {
      const t = load(starter, 'invitation', language);
      expect(shape(t)).toEqual(shape(load(starter, 'invitation', 'en')));
      expect(fillAll(t, language).join('\n')).not.toMatch(/\{\{|\}\}|:::/);
    });
});

describe('the multilingual example’s invitations', () => {
  for (const language of LANGUAGES)
    it(`templates/invitation.${language}.md is the seed invitation's structure, placeholders and attachments`, () => {
      const t = load(join(EXAMPLE_DIR, 'templates'), 'invitation', language, false);
      expect(shape(t)).toEqual(shape(load(BUILTIN_TEMPLATES, 'invitation', 'en')));
      expect(templatePlaceholders(t).map((p) => p.name)).toContain('meetings.untoc-wg.span');
      expect(fillAll(t, language).join('\n')).not.toMatch(/\{\{|\}\}|:::/);
    });
});
