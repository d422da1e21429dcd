/** Test and benchmark fixtures of OCR: a CCCD-like page drawn with the project's Vietnamese font, as a scan. */
import { renderAdministrativeDocument } from '../nd30/index.ts';
import { rasterizePdf } from './engine.ts';

export const CARD = { number: '001085012345', fullName: 'NGUYỄN VĂN ĐỨC', dateOfBirth: '12/03/1985' } as const;

/** The card's labels and values on an A4 page, as a PNG scan at `dpi` (200 by default, as a counter scanner). */
export async function cardScan(card: { number: string; fullName: string; dateOfBirth: string } = CARD, dpi = 200): Promise<Uint8Array> {
  const doc = await renderAdministrativeDocument({
    issuingAgency: 'Bộ Công an',
    place: 'Hà Nội',
    date: new Date('2026-12-01T03:00:00Z'),
    title: 'Căn cước công dân',
    body: [
      { kind: 'paragraph', text: `Số / No.: ${card.number}`, indent: false, align: 'left' },
      { kind: 'paragraph', text: 'Họ và tên / Full name:', indent: false, align: 'left' },
      { kind: 'paragraph', text: card.fullName, indent: false, align: 'left', bold: true },
      { kind: 'paragraph', text: `Ngày sinh / Date of birth: ${card.dateOfBirth}`, indent: false, align: 'left' },
    ],
  });
  return (await rasterizePdf(doc.pdf, dpi))[0]!;
}
