// A modern (kafkajs) consumer joining a group and reading until `expected` records arrived, then
// waiting a quiet second to make sure no more come; prints the first and last values and the count.
// Exit 0 only when exactly `expected` records were read. Used by scripts/demo-zk-offset-migration.sh:
//   node dist/tests/tools/kafkajs-group-consume.js <bootstrap> <group> <topic> <expected>
import { kafkajs } from '../helpers/kafkajs-client';

async function main(): Promise<number> {
  const [bootstrap, group, topic, expectedArg] = process.argv.slice(2);
  const expected = Number(expectedArg);
  if (!bootstrap || !group || !topic || !Number.isInteger(expected)) {
    process.stderr.write('USAGE: kafkajs-group-consume.js <bootstrap> <group> <topic> <expected>\n');
    return 1;
  }
  const values: string[] = [];
  const consumer = kafkajs(bootstrap, 'zafka-demo-kafkajs').consumer({ groupId: group, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? 'null') });
    const deadline = Date.now() + 60000;
    while (values.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    await consumer.disconnect();
  }
  process.stdout.write(`kafkajs consumer in group ${group}: ${values.length} records, first ${values[0]}, last ${values[values.length - 1]}\n`);
  return values.length === expected ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
