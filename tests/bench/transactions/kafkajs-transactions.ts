// Transactions of exactly N records each, as kafkajs commits them (Kafka's perf tool can only end
// a transaction by age, --transaction-duration-ms): begin, one send of N records over the topic's
// partitions with acks=all, commit; the same client for both brokers, so the ratio compares brokers.
import { kafkajs } from '../../helpers/kafkajs-client';

export async function transactionalRecordsPerSec(bootstrap: string, topic: string, o: { transactions: number; recordsPerTransaction: number; recordSize: number }): Promise<number> {
  const producer = kafkajs(bootstrap, 'bench-transactions', 60000).producer({ transactionalId: `bench-txn-${process.pid}-${Date.now()}`, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const value = Buffer.alloc(o.recordSize, 'x');
    const messages = Array.from({ length: o.recordsPerTransaction }, (_, i) => ({ key: String(i), value }));
    const one = async () => {
      const txn = await producer.transaction();
      try {
        await txn.send({ topic, acks: -1, messages });
        await txn.commit();
      } catch (e) {
        await txn.abort().catch(() => undefined);
        throw e;
      }
    };
    await one(); // warm-up: coordinator lookup, InitProducerId, metadata
    const t0 = performance.now();
    for (let i = 0; i < o.transactions; i++) await one();
    return (o.transactions * o.recordsPerTransaction) / ((performance.now() - t0) / 1000);
  } finally {
    await producer.disconnect();
  }
}
