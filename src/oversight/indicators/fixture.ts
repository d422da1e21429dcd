/**
 * The hand-computed fixture of 30 dossiers (March 2026, Vietnam time) the indicator tests share: the pure formulas
 * (rules.test.ts) and their SQL over fact rows (store.test.ts). Each line says what it covers.
 */
import { monthPeriod, type DossierFacts } from './rules.ts';

export const vn = (local: string) => new Date(`${local}+07:00`);

export function d(id: string, over: Partial<DossierFacts> = {}): DossierFacts {
  return {
    id,
    code: `000.00.01.H26-2603-${id}`,
    agency: 'A',
    commune: 'X',
    procedure: 'P',
    channel: 'online',
    receivedAt: vn('2026-03-10T09:00'),
    dueAt: vn('2026-03-17T09:00'),
    dueSoonAt: null,
    processedAt: null,
    returnedAt: null,
    stoppedAt: null,
    withdrawnAt: null,
    supplementRequests: [],
    supplementOpen: false,
    components: ['SELF_DECLARED', 'E_CERTIFIED'],
    electronicResult: true,
    rating: null,
    complaint: false,
    ...over,
  };
}

export const FIXTURE: DossierFacts[] = [
  d('d01', { processedAt: vn('2026-03-16T10:00') }), // before due: on time
  d('d02', { processedAt: vn('2026-03-18T10:00') }), // after due: late
  d('d03', { channel: 'counter', components: ['DIGITIZED_SIGNED', 'DIGITIZED_SIGNED'], processedAt: vn('2026-03-17T09:00') }), // exactly at due: on time
  d('d04', { channel: 'counter', components: ['DIGITIZED_SIGNED', 'EXEMPT'], processedAt: new Date(vn('2026-03-17T09:00').getTime() + 1000) }), // 1 s late
  // Two supplement requests ⇒ late even though finished early; only exempt components ⇒ not "fully digitized".
  d('d05', { supplementRequests: [vn('2026-03-11T09:00'), vn('2026-03-11T10:00')], components: ['EXEMPT'], processedAt: vn('2026-03-12T09:00') }),
  d('d06', { supplementRequests: [vn('2026-03-15T09:00')], supplementOpen: true }), // waiting for the applicant since before due: end = request ⇒ on time
  d('d07', { supplementRequests: [vn('2026-03-18T09:00')], supplementOpen: true }), // asked after due ⇒ late
  d('d08', { dueAt: vn('2026-04-10T09:00') }), // in progress, due after asOf ⇒ on time
  d('d09', { dueAt: vn('2026-03-25T09:00') }), // in progress, overdue at asOf ⇒ late
  d('d10', { receivedAt: vn('2026-02-20T09:00'), dueAt: vn('2026-03-02T09:00'), processedAt: vn('2026-03-05T09:00') }), // Feb intake, ended in March, late
  d('d11', { receivedAt: vn('2026-02-20T09:00'), dueAt: vn('2026-03-02T09:00'), processedAt: vn('2026-02-25T09:00') }), // all in February: excluded
  d('d12', { receivedAt: vn('2026-04-02T09:00'), dueAt: vn('2026-04-09T09:00') }), // April: excluded
  d('d13', { receivedAt: null, dueAt: null }), // refused at reception: never received
  d('d14', { withdrawnAt: vn('2026-03-12T09:00') }), // withdrawn: not handled, but received in March
  d('d15', { stoppedAt: vn('2026-03-14T09:00') }), // stopped before due: on time, no result
  d('d16', { processedAt: vn('2026-03-13T09:00'), returnedAt: vn('2026-03-20T09:00') }), // end = processed (first), on time
  d('d17', { components: ['REUSED', 'SELF_DECLARED'], processedAt: vn('2026-03-16T09:00') }),
  d('d18', { channel: 'counter', components: ['EXEMPT', 'DIGITIZED_SIGNED'], processedAt: vn('2026-03-16T09:00') }),
  d('d19', { rating: 1, processedAt: vn('2026-03-16T09:00') }), // dislike: complaint rate
  d('d20', { complaint: true, processedAt: vn('2026-03-20T09:00') }), // late and a complaint: counted in both (5.4)
  d('d21', { channel: 'counter', electronicResult: false, processedAt: vn('2026-03-16T09:00') }), // result not an e-document
  d('d22', { components: ['REUSED', 'E_CERTIFIED'], dueAt: vn('2026-04-01T09:00') }),
  d('d23', { agency: 'B', commune: 'Y', procedure: 'Q', channel: 'counter', components: ['E_CERTIFIED', 'PAPER'], processedAt: vn('2026-03-16T09:00') }),
  d('d24', { agency: 'B', commune: null, procedure: 'Q', processedAt: vn('2026-03-20T09:00') }), // late
  // One answered supplement: the due moved by the pause (to 20/03); finished 19/03 ⇒ on time.
  d('d25', { supplementRequests: [vn('2026-03-11T09:00')], dueAt: vn('2026-03-20T09:00'), processedAt: vn('2026-03-19T09:00') }),
  d('d26', { receivedAt: vn('2026-03-25T09:00'), dueAt: vn('2026-04-05T09:00'), components: ['REUSED'] }),
  d('d27', { receivedAt: vn('2026-03-25T09:00'), dueAt: vn('2026-04-05T09:00') }),
  d('d28', { receivedAt: vn('2026-03-25T09:00'), dueAt: vn('2026-04-05T09:00') }),
  d('d29', { receivedAt: vn('2026-03-25T09:00'), dueAt: vn('2026-04-05T09:00') }),
  d('d30', { receivedAt: vn('2026-03-25T09:00'), dueAt: vn('2026-04-05T09:00') }),
];

export const MARCH = monthPeriod(2026, 3);
export const AS_OF = new Date(MARCH.to.getTime() - 1);
export const ids = (...n: number[]) => n.map((i) => `d${String(i).padStart(2, '0')}`);

