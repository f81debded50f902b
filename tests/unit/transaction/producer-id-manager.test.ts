// ProducerIdManager's decisions around the conditional write (the ZooKeeper side is covered against
// a real ZooKeeper in tests/integration/zk/producer-id-blocks.test.ts): a write whose outcome was
// lost with the connection counts only if the znode now holds exactly our block.
import type { ProducerIdBlock } from '../../../controller/zk/zk-data';
import { ProducerIdManager, type ProducerIdBlockStore } from '../../../broker/transaction/producer-id-manager';

class Store implements ProducerIdBlockStore {
  block: ProducerIdBlock | null = null;
  version = 0;
  /** Next setData: apply then throw (connection lost after the write), or throw without writing. */
  failNext: 'after-write' | 'before-write' | null = null;

  async getProducerIdBlock() {
    return { block: this.block, zkVersion: this.version };
  }

  async setProducerIdBlock(block: ProducerIdBlock, expected: number) {
    const fail = this.failNext;
    this.failNext = null;
    if (fail === 'before-write') throw new Error('ConnectionLoss');
    if (expected !== this.version) return false;
    this.block = block;
    this.version++;
    if (fail === 'after-write') throw new Error('ConnectionLoss');
    return true;
  }
}

describe('ProducerIdManager', () => {
  it('a write that took effect before the connection dropped is kept (read back as our block)', async () => {
    const store = new Store();
    store.failNext = 'after-write';
    const m = new ProducerIdManager(2, store);
    expect(await m.generateProducerId()).toBe(0);
    expect(store.block).toEqual({ brokerId: 2, blockStart: 0, blockEnd: 999 });
  });

  it('a write that did not happen fails the request, and the next request claims the block', async () => {
    const store = new Store();
    store.failNext = 'before-write';
    const m = new ProducerIdManager(2, store);
    await expect(m.generateProducerId()).rejects.toThrow('ConnectionLoss');
    expect(await m.generateProducerId()).toBe(0);
  });

  it('concurrent callers share one claim and get consecutive ids', async () => {
    const store = new Store();
    const m = new ProducerIdManager(1, store);
    const ids = await Promise.all(Array.from({ length: 1500 }, () => m.generateProducerId()));
    expect(ids).toEqual(Array.from({ length: 1500 }, (_, i) => i));
    expect(store.version).toBe(2);
  });
});
