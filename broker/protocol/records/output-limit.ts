// The guard every codec applies before decompressing: a ceiling on the output, read from the
// codec's own size fields where it has them, so that a decompression bomb (a few kilobytes that
// expand to gigabytes) is refused before anything large is allocated.
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';

export function outputTooLarge(codec: string, maxOutputLength: number): KafkaError {
  return new KafkaError(ErrorCode.MESSAGE_TOO_LARGE, `${codec}: the decompressed records would exceed ${maxOutputLength} bytes`);
}

/** Throws MESSAGE_TOO_LARGE when the (bound of the) output passes maxOutputLength. */
export function checkOutputLength(codec: string, bound: number, maxOutputLength: number): void {
  if (bound > maxOutputLength) throw outputTooLarge(codec, maxOutputLength);
}
