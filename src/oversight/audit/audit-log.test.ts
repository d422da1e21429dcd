import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../cli/command.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { openTestDb, type TestDb } from '../../../test/support/db.ts';
import { createAuditCommands } from '../cli.ts';
import { createCheckpoint, listCheckpoints } from './checkpoint.ts';
import { chainHash, GENESIS_HASH } from './rules.ts';
import { appendAuditEvent, listAuditEvents } from './store.ts';
import { makeTestSeal } from './testing.ts';
import { verifyAuditLog } from './verify.ts';

/**
 * Must-show of issue 7: single audit rows are edited, deleted and reordered directly in the database as a superuser
 * (triggers bypassed), and `hoso audit verify` names each tampering precisely; the untouched log passes.
 * Each tampering runs inside a transaction that is rolled back, so every case starts from the same intact log.
 */
let t: TestDb;
const T0 = Date.UTC(2026, 10, 2, 1, 0, 0);
// Certificates valid from an hour before the first event, so checkpoints signed "at" event time are in validity.
const seal = makeTestSeal(new Date(T0));

async function append(from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) {
    await t.db.tx((q) =>
      appendAuditEvent(q, {
        type: i % 3 === 0 ? 'dossier.received' : 'document.read',
        at: new Date(T0 + i * 60_000),
        actor: { userId: `user-${i % 4}`, role: 'counter_officer' },
        subjectType: 'dossier',
        subjectId: `000.00.01.H26-261102-${String(i).padStart(4, '0')}`,
        data: { index: i, citizen: { name: 'Nguyễn Văn A', cccd: '001203004567' }, tags: ['a', 'b'] },
      }),
    );
  }
}

beforeAll(async () => {
  t = await openTestDb();
  await append(1, 10);
  await createCheckpoint(t.db, seal.signer, new Date(T0 + 11 * 60_000));
  await append(11, 20);
  await createCheckpoint(t.db, seal.signer, new Date(T0 + 21 * 60_000));
  await append(21, 30);
});

afterAll(async () => {
  await t?.cleanup();
});

/** The transaction as a Db, so the CLI command reads exactly what the tampering left. */
function asDb(q: Queryable): Db {
  return { kind: t.db.kind, query: q.query, exec: q.exec, tx: (fn) => fn(q), close: async () => undefined };
}

async function runVerify(q: Queryable, args: string[] = []): Promise<{ code: number; out: string }> {
  const commands = createAuditCommands({
    openDb: async () => ({ db: asDb(q), close: async () => undefined }),
    signer: async () => seal.signer,
    trust: async () => ({ sealAnchors: [seal.root], tsaAnchors: [seal.root], requireTimestamp: true }),
    now: () => new Date(),
  });
  const verify = commands.find((c: CliCommand) => c.name.join(' ') === 'audit verify')!;
  let out = '';
  const code = await verify.run(args, { out: (s) => (out += `${s}\n`), err: (s) => (out += `${s}\n`) });
  return { code, out };
}

const ROLLBACK = new Error('rollback');

/** Tampers as a superuser (session_replication_role = replica disables the audit triggers), checks, rolls back. */
async function tampered(tamper: string | ((q: Queryable) => Promise<void>), check: (q: Queryable) => Promise<void>): Promise<void> {
  await expect(
    t.db.tx(async (q) => {
      await q.query('SET LOCAL session_replication_role = replica');
      if (typeof tamper === 'string') await q.exec(tamper);
      else await tamper(q);
      await q.query('SET LOCAL session_replication_role = origin');
      await check(q);
      throw ROLLBACK;
    }),
  ).rejects.toBe(ROLLBACK);
}

describe('hoso audit verify on a tampered database', () => {
  it('passes the untouched log: every row recomputed, both checkpoints signed, timestamped and matching', async () => {
    const r = await verifyAuditLog(t.db, { trust: { sealAnchors: [seal.root], tsaAnchors: [seal.root], requireTimestamp: true } });
    expect(r).toMatchObject({ ok: true, rowsChecked: 30, verifiedThrough: 30, firstBreak: null, head: { seq: 30 } });
    expect(r.checkpoints).toMatchObject({ total: 2, matched: 2, problems: [], latest: { id: 2, eventCount: 20 } });
    expect(r.checkpoints.latest?.timestampedAt).toBeInstanceOf(Date);
    await t.db.tx(async (q) => {
      const cli = await runVerify(q);
      expect(cli.code).toBe(0);
      expect(cli.out).toContain('HỢP LỆ');
      expect(cli.out).toContain('30 bản ghi');
    });
  });

  it('reports an edited row as altered at its seq', async () => {
    await tampered(`UPDATE audit_event SET data = jsonb_set(data, '{citizen,cccd}', '"001203009999"') WHERE seq = 15`, async (q) => {
      const cli = await runVerify(q, ['--lang', 'en']);
      expect(cli.code).toBe(1);
      expect(cli.out).toContain('Row seq 15 was edited');
      expect(cli.out).toContain('verified through seq 14');
      const json = JSON.parse((await runVerify(q, ['--json'])).out) as { firstBreak: unknown };
      expect(json.firstBreak).toMatchObject({ kind: 'altered', seq: 15 });
    });
  });

  it('reports an edited time, type or actor just as precisely', async () => {
    for (const set of [`at = at + interval '1 second'`, `type = 'dossier.refused'`, `actor_id = 'someone-else'`]) {
      await tampered(`UPDATE audit_event SET ${set} WHERE seq = 7`, async (q) => {
        expect((await verifyAuditLog(q)).firstBreak).toMatchObject({ kind: 'altered', seq: 7 });
      });
    }
  });

  it('reports a deleted row as a gap naming the missing seq', async () => {
    await tampered('DELETE FROM audit_event WHERE seq = 15', async (q) => {
      const cli = await runVerify(q);
      expect(cli.code).toBe(1);
      expect(cli.out).toContain('Thiếu bản ghi seq 15 (giữa seq 14 và seq 16)');
      expect((await verifyAuditLog(q)).firstBreak).toEqual({ kind: 'gap', seq: 16, afterSeq: 14, missingFrom: 15, missingTo: 15 });
    });
  });

  it('reports two swapped rows as reordered', async () => {
    await tampered(
      `UPDATE audit_event SET seq = -1 WHERE seq = 15;
       UPDATE audit_event SET seq = 15 WHERE seq = 16;
       UPDATE audit_event SET seq = 16 WHERE seq = -1;`,
      async (q) => {
        const cli = await runVerify(q, ['--lang', 'en']);
        expect(cli.code).toBe(1);
        expect(cli.out).toContain('row seq 15 was chained after the row now at seq 16');
        expect((await verifyAuditLog(q)).firstBreak).toEqual({ kind: 'reordered', seq: 15, chainedAfterSeq: 16, expectedNextAtSeq: 16 });
      },
    );
  });

  it('reports a swap across a batch edge the same way (predecessor looked up in the database)', async () => {
    await tampered(
      `UPDATE audit_event SET seq = -1 WHERE seq = 3;
       UPDATE audit_event SET seq = 3 WHERE seq = 25;
       UPDATE audit_event SET seq = 25 WHERE seq = -1;`,
      async (q) => {
        expect((await verifyAuditLog(q, { batchSize: 4 })).firstBreak).toEqual({ kind: 'reordered', seq: 3, chainedAfterSeq: 24, expectedNextAtSeq: 25 });
      },
    );
  });

  it('reports a tail truncated after the last checkpoint against the head', async () => {
    await tampered('DELETE FROM audit_event WHERE seq > 20', async (q) => {
      const cli = await runVerify(q, ['--lang', 'en']);
      expect(cli.code).toBe(1);
      expect(cli.out).toContain('the last row is seq 20 but the head (audit_head) records seq 30; seq 21–30 were deleted');
    });
  });

  it('reports a truncated tail against the signed checkpoint when the head was rolled back too', async () => {
    await tampered(
      `DELETE FROM audit_event WHERE seq > 17;
       UPDATE audit_head SET seq = 17, hash = (SELECT hash FROM audit_event WHERE seq = 17);`,
      async (q) => {
        const r = await verifyAuditLog(q);
        expect(r.firstBreak).toEqual({ kind: 'missing-tail', lastSeq: 17, expectedSeq: 20, evidence: 'checkpoint', checkpointId: 2 });
        expect((await runVerify(q)).out).toContain('điểm kiểm tra #2 đã ký xác nhận 20 bản ghi; seq 18–20 đã bị xóa');
      },
    );
  });

  it('catches an edit whose chain was recomputed to the end by the signed checkpoint covering it', async () => {
    await tampered(
      async (q) => {
        await q.query(`UPDATE audit_event SET data = jsonb_set(data, '{index}', '999') WHERE seq = 12`);
        // A careful forger re-hashes every later row and moves the head, so every link is consistent again.
        const rows = await listAuditEvents(q, { fromSeq: 1 });
        let prev = GENESIS_HASH;
        for (const row of rows) {
          const hash = chainHash(prev, row);
          await q.query('UPDATE audit_event SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, row.seq]);
          prev = hash;
        }
        await q.query('UPDATE audit_head SET hash = $1 WHERE id = 1', [prev]);
      },
      async (q) => {
        const r = await verifyAuditLog(q);
        expect(r.firstBreak).toMatchObject({ kind: 'checkpoint-mismatch', checkpointId: 2, eventCount: 20, sinceSeq: 11 });
        expect(r.checkpoints.matched).toBe(1);
        expect((await runVerify(q, ['--lang', 'en'])).out).toContain('rows in seq 11–20 were changed and the chain re-hashed');
      },
    );
  });

  it('reports a checkpoint whose signed head was replaced', async () => {
    await tampered(`UPDATE audit_checkpoint SET head_hash = (SELECT hash FROM audit_event WHERE seq = 9) WHERE id = 1`, async (q) => {
      const r = await verifyAuditLog(q);
      expect(r.ok).toBe(false);
      expect(r.checkpoints.problems.map((p) => [p.checkpointId, p.reason])).toContainEqual([1, 'signature']);
      expect((await runVerify(q)).code).toBe(1);
    });
  });

  it('reports a deleted checkpoint', async () => {
    await tampered('DELETE FROM audit_checkpoint WHERE id = 1', async (q) => {
      const r = await verifyAuditLog(q);
      expect(r.checkpoints.problems).toContainEqual({ checkpointId: 2, reason: 'sequence', detail: '#1–#1' });
    });
  });

  it('checks a range given by seq or by time', async () => {
    const bySeq = await verifyAuditLog(t.db, { fromSeq: 11, toSeq: 20 });
    expect(bySeq).toMatchObject({ ok: true, fromSeq: 11, toSeq: 20, rowsChecked: 10, checkpoints: { matched: 2 } });
    await t.db.tx(async (q) => {
      const cli = await runVerify(q, ['--from', new Date(T0 + 5 * 60_000).toISOString(), '--to', new Date(T0 + 8 * 60_000).toISOString(), '--json']);
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.out)).toMatchObject({ ok: true, fromSeq: 5, toSeq: 8, rowsChecked: 4 });
    });
    await tampered('DELETE FROM audit_event WHERE seq = 25', async (q) => {
      expect((await verifyAuditLog(q, { toSeq: 20 })).ok).toBe(true);
      expect((await verifyAuditLog(q, { fromSeq: 21 })).firstBreak).toMatchObject({ kind: 'gap', missingFrom: 25 });
    });
  });

  it('refuses bad bounds as usage errors', async () => {
    await t.db.tx(async (q) => {
      await expect(runVerify(q, ['--from', 'yesterday'])).rejects.toThrow(/--from must be/);
    });
  });
});

describe('append-only enforcement', () => {
  it.each([
    ['UPDATE an event', `UPDATE audit_event SET type = 'x' WHERE seq = 1`],
    ['DELETE an event', 'DELETE FROM audit_event WHERE seq = 30'],
    ['TRUNCATE the events', 'TRUNCATE audit_event'],
    ['UPDATE a checkpoint', 'UPDATE audit_checkpoint SET event_count = 0 WHERE id = 1'],
    ['DELETE a checkpoint', 'DELETE FROM audit_checkpoint'],
    ['roll the head back', `UPDATE audit_head SET seq = 29, hash = (SELECT hash FROM audit_event WHERE seq = 29)`],
    ['point the head at nothing', `UPDATE audit_head SET seq = 31, hash = repeat('a', 64)`],
    ['DELETE the head', 'DELETE FROM audit_head'],
  ])('refuses to %s from the application', async (_what, sql) => {
    await expect(t.db.query(sql)).rejects.toThrow(/append-only|only move forward|existing event/);
    expect((await verifyAuditLog(t.db)).ok).toBe(true);
  });

  it('still appends, and a checkpoint is skipped when nothing changed', async () => {
    const third = await createCheckpoint(t.db, seal.signer, new Date(T0 + 31 * 60_000));
    expect(third).toMatchObject({ created: true, checkpoint: { id: 3, eventCount: 30 } });
    const again = await createCheckpoint(t.db, seal.signer, new Date(T0 + 32 * 60_000));
    expect(again).toMatchObject({ created: false, checkpoint: { id: 3 } });
    await append(31, 32);
    expect(await createCheckpoint(t.db, seal.signer, new Date(T0 + 33 * 60_000))).toMatchObject({ created: true, checkpoint: { id: 4, eventCount: 32 } });
    expect((await listCheckpoints(t.db)).map((c) => c.eventCount)).toEqual([10, 20, 30, 32]);
    const r = await verifyAuditLog(t.db, { trust: { sealAnchors: [seal.root], tsaAnchors: [seal.root], requireTimestamp: true } });
    expect(r).toMatchObject({ ok: true, rowsChecked: 32, checkpoints: { matched: 4 } });
  });
});
