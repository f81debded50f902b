// Leaders that changed an ISR tell the controller through a sequential znode
// /isr_change_notification/isr_change_<seq> listing the partitions; the controller then sends
// UpdateMetadata. Changes are batched briefly so a burst (a broker dying under many partitions)
// becomes one notification, as Kafka's isr-change propagation does.
import { getLogger } from '../logging';

export interface IsrChangeSink {
  createIsrChangeNotification(partitions: readonly { topic: string; partition: number }[]): Promise<unknown>;
}

export class IsrChangeNotifier {
  private pending = new Map<string, { topic: string; partition: number }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = getLogger('kafka.server.ReplicaManager');

  constructor(
    private readonly sink: IsrChangeSink,
    private readonly delayMs = 200,
  ) {}

  record(topic: string, partition: number): void {
    this.pending.set(`${topic}-${partition}`, { topic, partition });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const partitions = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.sink.createIsrChangeNotification(partitions);
    } catch (err) {
      this.logger.warn(`Failed to write ISR change notification for ${partitions.length} partitions: ${(err as Error).message}`);
    }
  }
}
