// Producer ids for InitProducerId (Kafka's ProducerIdManager, KIP-98): each broker claims blocks
// of 1000 ids by rewriting /latest_producer_id_block with a setData conditional on the version it
// read, in Kafka's JSON ({"version":1,"broker":b,"block_start":"s","block_end":"e"}, both ends
// inclusive). Zafka and Kafka brokers share the znode, so no two brokers of either kind ever hand
// out the same id. A block is claimed when the first id is asked for (Kafka claims one at start).
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { ProducerIdBlock } from '../../controller/zk/zk-data';
import { getLogger, type Logger } from '../logging';

/** ProducerIdManager.PidBlockSize. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

/** The part of KafkaZkClient this needs (a real client in the broker and in tests). */
export type ProducerIdBlockStore = Pick<KafkaZkClient, 'getProducerIdBlock' | 'setProducerIdBlock'>;

export class ProducerIdManager {
  private block: ProducerIdBlock | null = null;
  private nextProducerId = -1;
  // Allocations run one at a time: a second caller waits for the block the first one is claiming.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(
    readonly brokerId: number,
    private readonly zk: ProducerIdBlockStore,
  ) {
    this.logger = getLogger('kafka.coordinator.transaction.ProducerIdManager', `[ProducerId Manager ${brokerId}]: `);
  }

  /** The next unused producer id, claiming a new block from ZooKeeper when this one is used up. */
  generateProducerId(): Promise<number> {
    const next = this.queue.then(async () => {
      if (this.block === null || this.nextProducerId > this.block.blockEnd) {
        this.block = await this.claimNewBlock();
        this.nextProducerId = this.block.blockStart;
      }
      return this.nextProducerId++;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The block this broker is handing out ids from (null before the first id). */
  get currentBlock(): ProducerIdBlock | null {
    return this.block;
  }

  private async claimNewBlock(): Promise<ProducerIdBlock> {
    for (;;) {
      const { block: latest, zkVersion } = await this.zk.getProducerIdBlock();
      let claim: ProducerIdBlock;
      if (latest) {
        if (latest.blockEnd > Number.MAX_SAFE_INTEGER - PRODUCER_ID_BLOCK_SIZE) {
          // Kafka's limit is Long.MaxValue; Zafka's ids are JS numbers, exact to 2^53.
          throw new Error(`Have exhausted all producerIds (current block end producerId is ${latest.blockEnd})`);
        }
        claim = { brokerId: this.brokerId, blockStart: latest.blockEnd + 1, blockEnd: latest.blockEnd + PRODUCER_ID_BLOCK_SIZE };
      } else {
        claim = { brokerId: this.brokerId, blockStart: 0, blockEnd: PRODUCER_ID_BLOCK_SIZE - 1 };
      }
      if (await this.trySetBlock(claim, zkVersion)) {
        this.logger.info(`Acquired new producerId block (brokerId:${claim.brokerId},blockStartProducerId:${claim.blockStart},blockEndProducerId:${claim.blockEnd}) by writing to Zk with path version ${zkVersion + 1}`);
        return claim;
      }
      // Another broker claimed the next block first: read again and take the one after it.
    }
  }

  /**
   * The conditional write. When its outcome is unknown (the connection dropped mid-request), the
   * znode is read back: the write took effect iff it now holds exactly our block (Kafka's
   * checkProducerIdBlockZkData).
   */
  private async trySetBlock(claim: ProducerIdBlock, zkVersion: number): Promise<boolean> {
    try {
      return await this.zk.setProducerIdBlock(claim, zkVersion);
    } catch (err) {
      const { block } = await this.zk.getProducerIdBlock();
      if (block && block.brokerId === claim.brokerId && block.blockStart === claim.blockStart && block.blockEnd === claim.blockEnd) return true;
      throw err;
    }
  }
}
