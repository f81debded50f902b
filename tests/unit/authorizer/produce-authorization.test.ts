// Produce's request-wide checks (Kafka 2.4 handleProduceRequest): a transactional batch needs Write
// on the request's TransactionalId, an idempotent one IdempotentWrite on the Cluster; plain batches
// and v0/v1 message sets need neither. Decided from the first batch header, never the records.
import { produceAuthorizationError } from '../../../broker/authorizer/produce-authorization';
import type { RequestContext } from '../../../broker/handlers/api-handler';
import { ErrorCode } from '../../../broker/protocol/errors';
import { writeInt64 } from '../../../broker/protocol/primitives';
import { ATTRIBUTES, BATCH_HEADER_SIZE, MAGIC, PRODUCER_ID, TRANSACTIONAL_FLAG_MASK } from '../../../broker/protocol/records/batch-header';

function batch(producerId: number, transactional: boolean, magic = 2): Buffer {
  const b = Buffer.alloc(BATCH_HEADER_SIZE + 10);
  b[MAGIC] = magic;
  b.writeInt16BE(transactional ? TRANSACTIONAL_FLAG_MASK : 0, ATTRIBUTES);
  writeInt64(b, producerId, PRODUCER_ID);
  return b;
}

function ctxAllowing(allowed: (op: string, type: string, name: string) => boolean, asked: string[] = []): RequestContext {
  const authorizer = {
    authorize: (_r: unknown, op: string, type: string, name: string) => {
      asked.push(`${op} ${type}:${name}`);
      return allowed(op, type, name);
    },
  };
  return { principal: 'alice', clientAddress: '127.0.0.1', header: { apiKey: 0 }, broker: { authorizer } } as unknown as RequestContext;
}

describe('produceAuthorizationError', () => {
  it('asks nothing for plain batches and legacy message sets', () => {
    const asked: string[] = [];
    const ctx = ctxAllowing(() => false, asked);
    expect(produceAuthorizationError(ctx, null, [batch(-1, false), batch(7, false, 1), null])).toBe(ErrorCode.NONE);
    expect(asked).toEqual([]);
  });

  it('needs IdempotentWrite on the Cluster for an idempotent batch', () => {
    const asked: string[] = [];
    expect(produceAuthorizationError(ctxAllowing(() => false, asked), null, [batch(-1, false), batch(5, false)])).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect(asked).toEqual(['IdempotentWrite Cluster:kafka-cluster']);
    expect(produceAuthorizationError(ctxAllowing((op) => op === 'IdempotentWrite'), null, [batch(5, false)])).toBe(ErrorCode.NONE);
  });

  it('needs Write on the TransactionalId for a transactional batch, and a transactional id at all', () => {
    const onlyTx = ctxAllowing((op, type, name) => op === 'Write' && type === 'TransactionalId' && name === 'tx-1');
    expect(produceAuthorizationError(onlyTx, 'tx-1', [batch(5, true)])).toBe(ErrorCode.NONE);
    expect(produceAuthorizationError(onlyTx, 'tx-2', [batch(5, true)])).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect(produceAuthorizationError(onlyTx, null, [batch(5, true)])).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  });

  it('without an authorizer allows both, but still refuses transactional records without a transactional id, as Kafka', () => {
    const ctx = { principal: 'alice', clientAddress: '127.0.0.1', header: { apiKey: 0 }, broker: { authorizer: null } } as unknown as RequestContext;
    expect(produceAuthorizationError(ctx, null, [batch(5, false)])).toBe(ErrorCode.NONE);
    expect(produceAuthorizationError(ctx, 'tx', [batch(6, true)])).toBe(ErrorCode.NONE);
    expect(produceAuthorizationError(ctx, null, [batch(5, false), batch(6, true)])).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  });
});
