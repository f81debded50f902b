// A topic with the longest legal name (249 characters) can be deleted: its -delete directory name
// is cut to 255 characters, as Kafka's Log.logDeleteDirName does (KAFKA-4893). Found by the fuzzer
// (a CreateTopics name mutated to 249 'a's, then a DeleteTopics): the rename failed with
// ENAMETOOLONG, the deletion halted and the files stayed.
import * as fs from 'fs';
import * as path from 'path';
import { deleteDirName } from '../../../broker/log/log-file-names';
import { LogManager } from '../../../broker/log/log-manager';
import { buildBatch, config, rmDir, tmpDir } from './batch-builder';

const LONGEST_TOPIC = 'a'.repeat(249);

describe('deleting a log whose topic name is 249 characters long', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir('zafka-long-topic-')));
  afterEach(() => rmDir(dir));

  test('the -delete directory name keeps within 255 characters and still ends -<partition>.<uuid>-delete', () => {
    for (const partition of [0, 7, 2147483647]) {
      const name = deleteDirName(LONGEST_TOPIC, partition);
      expect(name.length).toBeLessThanOrEqual(255);
      expect(name).toMatch(new RegExp(`^a+-${partition}\\.[0-9a-f]{32}-delete$`));
    }
    expect(deleteDirName('short', 3)).toMatch(/^short-3\.[0-9a-f]{32}-delete$/);
  });

  test('the log is renamed and removed from disk', async () => {
    const lm = new LogManager({ logDirs: [dir], defaultConfig: config() });
    lm.startup();
    const log = lm.getOrCreateLog(LONGEST_TOPIC, 0);
    log.appendAsLeader(buildBatch({ count: 2 }), 0);
    await lm.deleteLog(LONGEST_TOPIC, 0);
    expect(lm.getLog(LONGEST_TOPIC, 0)).toBeUndefined();
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('aaaa'))).toEqual([]);
    lm.shutdown();
    expect(fs.existsSync(path.join(dir, `${LONGEST_TOPIC}-0`))).toBe(false);
  });
});
