import { BrokerTopicStats } from '../../../broker/metrics/broker-topic-stats';

describe('BrokerTopicStats', () => {
  it('counts appends per topic and for all topics', () => {
    const stats = new BrokerTopicStats();
    stats.recordProduceRequest('a');
    stats.recordAppend('a', 100, 3);
    stats.recordProduceRequest('b');
    stats.recordAppend('b', 50, 1);
    expect(stats.topic('a')).toMatchObject({ messagesIn: 3, bytesIn: 100, totalProduceRequests: 1 });
    expect(stats.allTopics).toMatchObject({ messagesIn: 4, bytesIn: 150, totalProduceRequests: 2 });
  });

  it('gives partitions not hosted here (null topic) no series of their own', () => {
    const stats = new BrokerTopicStats();
    stats.recordProduceRequest(null);
    stats.recordFailedProduce(null);
    stats.recordFetch(null, 0, false, false);
    expect([...stats.entries()]).toEqual([]);
    expect(stats.allTopics).toMatchObject({ totalProduceRequests: 1, failedProduceRequests: 1, totalFetchRequests: 1 });
  });

  it('counts follower fetch bytes as replication bytes out for all topics only', () => {
    const stats = new BrokerTopicStats();
    stats.recordFetch('a', 10, false, false);
    stats.recordFetch('a', 7, false, true);
    stats.recordFetch('a', 0, true, false);
    expect(stats.topic('a')).toMatchObject({ bytesOut: 10, replicationBytesOut: 0, totalFetchRequests: 3, failedFetchRequests: 1 });
    expect(stats.allTopics).toMatchObject({ bytesOut: 10, replicationBytesOut: 7, totalFetchRequests: 3, failedFetchRequests: 1 });
  });

  it('forgets a removed topic', () => {
    const stats = new BrokerTopicStats();
    stats.recordAppend('gone', 1, 1);
    stats.removeTopic('gone');
    expect([...stats.entries()]).toEqual([]);
    expect(stats.allTopics.messagesIn).toBe(1);
  });
});
