// kafka-dump-log on a .txnindex: Kafka 2.4's line per aborted transaction.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dumpTxnIndex } from '../../../admin-cli/dump-log/dump-txn-index';
import { encodeAbortedTxn } from '../../../broker/log/transaction-index';

describe('kafka-dump-log .txnindex', () => {
  it('prints each aborted transaction as DumpLogSegments.dumpTxnIndex does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-txn-'));
    try {
      const file = path.join(dir, '00000000000000000000.txnindex');
      fs.writeFileSync(file, Buffer.concat([encodeAbortedTxn({ producerId: 5, firstOffset: 0, lastOffset: 4, lastStableOffset: 2 }), encodeAbortedTxn({ producerId: 6, firstOffset: 6, lastOffset: 8, lastStableOffset: 9 })]));
      let out = '';
      dumpTxnIndex(file, (s) => (out += s));
      expect(out).toBe('version: 0 producerId: 5 firstOffset: 0 lastOffset: 4 lastStableOffset: 2\nversion: 0 producerId: 6 firstOffset: 6 lastOffset: 8 lastStableOffset: 9\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
