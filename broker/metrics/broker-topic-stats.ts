// Kafka's BrokerTopicStats (kafka.server:type=BrokerTopicMetrics): per-topic and all-topics
// counts of messages and bytes in and out and of produce/fetch requests. Kept as plain numbers
// bumped once per partition per request (batch sizes and the record counts the log validator
// already computed), never per record; Prometheus reads them at scrape time.

export class TopicCounters {
  messagesIn = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Only allTopics uses it (Kafka keeps replication bytes for all topics only). */
  replicationBytesOut = 0;
  totalProduceRequests = 0;
  failedProduceRequests = 0;
  totalFetchRequests = 0;
  failedFetchRequests = 0;
}

export class BrokerTopicStats {
  /** Kafka's allTopicsStats: the series without a topic label. */
  readonly allTopics = new TopicCounters();
  private readonly topics = new Map<string, TopicCounters>();

  topic(name: string): TopicCounters {
    let counters = this.topics.get(name);
    if (counters === undefined) {
      counters = new TopicCounters();
      this.topics.set(name, counters);
    }
    return counters;
  }

  /** Topics with counters, for the scrape. */
  entries(): IterableIterator<[string, TopicCounters]> {
    return this.topics.entries();
  }

  /** A deleted topic's series go away, as Kafka's removeMetrics(topic). */
  removeTopic(name: string): void {
    this.topics.delete(name);
  }

  /**
   * One partition of a produce request. `topic` is null when this broker does not host the
   * partition: such names come from clients and get no series of their own (Kafka creates one,
   * which lets a client grow the metric set without bound).
   */
  recordProduceRequest(topic: string | null): void {
    this.allTopics.totalProduceRequests++;
    if (topic !== null) this.topic(topic).totalProduceRequests++;
  }

  /** A leader append of `bytes` holding `records` records (ReplicaManager.appendToLocalLog). */
  recordAppend(topic: string, bytes: number, records: number): void {
    const t = this.topic(topic);
    t.bytesIn += bytes;
    t.messagesIn += records;
    this.allTopics.bytesIn += bytes;
    this.allTopics.messagesIn += records;
  }

  /** Kafka counts only unexpected failures here, not known errors such as NOT_LEADER_OR_FOLLOWER. */
  recordFailedProduce(topic: string | null): void {
    this.allTopics.failedProduceRequests++;
    if (topic !== null) this.topic(topic).failedProduceRequests++;
  }

  /**
   * One partition of a fetch response (topic null when not hosted here, as above). Requests
   * count for consumers and followers alike (ReplicaManager.readFromLocalLog); bytes are counted
   * as the response goes out (KafkaApis), follower bytes as replication bytes out, which Kafka
   * keeps for all topics only. `failed`: an unexpected error, as for produce.
   */
  recordFetch(topic: string | null, bytes: number, failed: boolean, fromFollower: boolean): void {
    const all = this.allTopics;
    const t = topic === null ? null : this.topic(topic);
    all.totalFetchRequests++;
    if (t) t.totalFetchRequests++;
    if (failed) {
      all.failedFetchRequests++;
      if (t) t.failedFetchRequests++;
    }
    if (fromFollower) {
      all.replicationBytesOut += bytes;
    } else {
      all.bytesOut += bytes;
      if (t) t.bytesOut += bytes;
    }
  }
}
