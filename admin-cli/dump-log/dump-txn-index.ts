// DumpLogSegments.dumpTxnIndex (Kafka 2.4): one line per aborted transaction of a segment's
// .txnindex, "version: 0 producerId: P firstOffset: F lastOffset: L lastStableOffset: S".
import * as fs from 'fs';
import { decodeAbortedTxns } from '../../broker/log/transaction-index';

export function dumpTxnIndex(file: string, out: (s: string) => void): void {
  for (const txn of decodeAbortedTxns(fs.readFileSync(file), file)) {
    out(`version: 0 producerId: ${txn.producerId} firstOffset: ${txn.firstOffset} lastOffset: ${txn.lastOffset} lastStableOffset: ${txn.lastStableOffset}\n`);
  }
}
