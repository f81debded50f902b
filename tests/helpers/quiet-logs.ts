// In-process code under test (ZooKeeper client, controller, log) logs only errors to the jest
// console; broker child processes set their own level (tests/helpers/cluster.ts).
process.env.ZAFKA_LOG_LEVEL = process.env.ZAFKA_TEST_LOG_LEVEL ?? 'error';
