// zstd as Kafka uses it (KIP-110): standard zstd frames. The Java client (zstd-jni's
// ZstdOutputStream) streams, so its frames carry no content size; zstd-napi's one-shot
// decompress then falls back to a streaming loop that returns whatever it decoded from a
// truncated frame without complaint. This loop checks the frame really ended (ZSTD's hint 0).
import { DCtx, dStreamOutSize, getFrameContentSize, ResetDirective } from 'zstd-napi/binding';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { checkOutputLength } from './output-limit';

let dctx: DCtx | undefined;

export function compressZstd(data: Buffer): Buffer {
  return zstdCompress(data);
}

/** maxOutputLength: MESSAGE_TOO_LARGE rather than decompressing past it (decompression bombs). */
export function decompressZstd(data: Buffer, maxOutputLength = Infinity): Buffer {
  try {
    // With a content size in the header the one-shot path checks sizes itself.
    const contentSize = getFrameContentSize(data);
    if (contentSize !== null) {
      checkOutputLength('zstd', contentSize, maxOutputLength);
      return zstdDecompress(data);
    }
    return decompressStreaming(data, maxOutputLength);
  } catch (err) {
    if (err instanceof KafkaError) throw err;
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `zstd: ${(err as Error).message}`);
  }
}

function decompressStreaming(data: Buffer, maxOutputLength: number): Buffer {
  dctx ??= new DCtx();
  dctx.reset(ResetDirective.sessionOnly);
  const chunks: Buffer[] = [];
  let input = data;
  let hint = 1;
  let total = 0;
  for (;;) {
    const out = Buffer.allocUnsafe(Math.max(dStreamOutSize(), input.length * 2));
    const [next, produced, consumed] = dctx.decompressStream(out, input);
    hint = next;
    if (produced > 0) chunks.push(out.subarray(0, produced));
    total += produced;
    checkOutputLength('zstd', total, maxOutputLength);
    input = input.subarray(consumed);
    // Done when the input is used up and the output was not full (nothing left to flush).
    if (input.length === 0 && produced < out.length) break;
    if (produced === 0 && consumed === 0) break;
  }
  if (hint !== 0 || input.length !== 0) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'zstd: truncated frame');
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
