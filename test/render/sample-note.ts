/**
 * A realistic note verbale built from the seed note (fixtures for the PDF tests and the bench).
 * Its body spans two A4 pages.
 */
import type { Block, NoteDocument, Run } from '../../src/render/document.js';

const p = (...runs: Array<Run | string>): Block => ({
  type: 'paragraph',
  align: 'justify',
  runs: runs.map((r) => (typeof r === 'string' ? { text: r } : r)),
});

export const SAMPLE_PARAGRAPHS = {
  intro: (addressee: string): Run[] => [
    { text: 'The Secretary-General of the United Nations presents his compliments to the ' },
    { text: addressee },
    {
      text: ' and has the honour to draw the attention of the Government to resolution 4/2, entitled “Convening of open-ended intergovernmental expert meetings to enhance international cooperation”, of the Conference of the States Parties to the United Nations Convention against Corruption, adopted at its fourth session which was held in Marrakech, Morocco, from 24 to 28 October 2011.',
    },
  ],
};

export interface SampleOptions {
  addressee?: string;
  enclosures?: number;
  attachments?: string[];
  /** Extra paragraph(s) appended to the body, e.g. names in other scripts. */
  extra?: Block[];
}

export function sampleNote(opts: SampleOptions = {}): NoteDocument {
  const addressee = opts.addressee ?? 'Permanent Mission of Austria to the United Nations (Vienna)';
  const body: Block[] = [
    p(...SAMPLE_PARAGRAPHS.intro(addressee)),
    p(
      'In resolution 4/2, the Conference decided to convene open-ended intergovernmental expert meetings on international cooperation to advise and assist it with respect to extradition and mutual legal assistance, and to convene one such meeting during its fifth session and, prior to that, within existing resources, at least one intersessional meeting.',
    ),
    p(
      'In the same resolution, the Conference also decided that the expert meetings shall perform the following functions:',
    ),
    {
      type: 'list',
      ordered: true,
      items: [
        [{ text: 'Assist it in developing cumulative knowledge in the area of international cooperation;' }],
        [
          {
            text: 'Assist it in encouraging cooperation among relevant existing bilateral, regional and multilateral initiatives and contribute to the implementation of the related provisions of the Convention under the guidance of the Conference;',
          },
        ],
        [
          {
            text: 'Facilitate the exchange of experiences among States by identifying challenges and disseminating information on good practices to be followed in order to strengthen capacities at the national level;',
          },
        ],
        [
          {
            text: 'Build confidence and encourage cooperation between requesting and requested States by bringing together relevant competent authorities, anti-corruption bodies and practitioners involved in mutual legal assistance and extradition; and',
          },
        ],
        [{ text: 'Assist the Conference in identifying the capacity-building needs of States.' }],
      ],
    },
    p(
      'The Conference further called upon States parties and signatory States to designate a central authority and, as appropriate, local authorities and other governmental experts, to participate in the expert meetings. Moreover, it requested the Secretariat, within existing resources, to assist the expert meetings in the performance of their functions, including by providing interpretation services, and also invited States parties and signatories to provide extrabudgetary resources for the activities described in resolution 4/2.',
    ),
    p(
      'In accordance with the above resolution, the Government is cordially invited to participate in the first open-ended intergovernmental expert meeting on international cooperation, which will be held in Vienna, Austria, from ',
      { text: '22 to 23 October 2012', bold: true },
      '.',
    ),
    p(
      'The meeting will take place immediately after the sixth session of the Conference of the Parties to the United Nations Convention against Transnational Organized Crime (15-19 October 2012) during which a meeting of the Open-ended Working Group of Government Experts on Extradition, Mutual Legal Assistance and International Cooperation for Purposes of Confiscation will take place. As the Government is also invited to participate in the UNTOC working group, and in view of the cross-cutting issues for discussion in both meetings, the Government may wish to take all appropriate measures to enable the participation of its national experts in both the UNTOC working group and the UNCAC expert meeting. The Government may also wish to designate participants with a focus only on corruption-related issues and, hence, arrange for their participation in the UNCAC expert meeting only.',
    ),
    p(
      'The information for participants and the annotated provisional agenda with the proposed organization of work are attached hereto. Further information will be electronically available in all the official United Nations languages on the website of the United Nations Office on Drugs and Crime, and can be accessed through the following address:',
    ),
    {
      type: 'paragraph',
      align: 'center',
      runs: [
        {
          text: 'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
          link: 'http://www.unodc.org/unodc/en/treaties/CAC/em-internationalcooperation.html',
        },
      ],
    },
    p(
      "It would be appreciated if the Government's response to this invitation could be sent directly to the Secretariat of the Conference of the States Parties, United Nations Office on Drugs and Crime, P.O. Box 500, 1400 Vienna, Austria, Fax: +43-1 26060 5841, or a scanned copy to e-mail: ",
      { text: 'UNCAC.COP@unodc.org', link: 'mailto:UNCAC.COP@unodc.org' },
      ". Please note that only scanned copies of note verbales will be accepted by e-mail. Information on the composition of the Government's delegation, including name(s), title(s) and contact details (e-mail address), should be provided to the Office as soon as possible and not later than ",
      { text: '24 September 2012', bold: true },
      '.',
    ),
    ...(opts.extra ?? []),
  ];
  return {
    meta: {
      title: 'Note verbale CU 2012/150(A)/DTA/CEB/CSS – Austria',
      author: 'United Nations Office on Drugs and Crime',
      language: 'en-GB',
      subject:
        'Invitation to the first open-ended intergovernmental expert meeting on international cooperation',
      created: new Date(Date.UTC(2012, 7, 15)),
    },
    letterhead: ['UNODC', 'United Nations Office on Drugs and Crime'],
    referenceLine: 'Reference: CU 2012/150(A)/DTA/CEB/CSS',
    body,
    dateLine: '15 August 2012',
    footer: 'Making the world safer from drugs, crime and terrorism',
    enclosures: opts.enclosures ?? 0,
    attachments: opts.attachments ?? [],
  };
}
