// Golden bytes for protocol tests. Inline fixtures are written as spaced hex with comments
// (hex``); captured traffic lives in fixtures/<api>_<request|response>_v<N>_<seq>.hex, named as
// tansu does (api_versions_request_v3_000.hex): a full frame as seen on the wire, size prefix
// included, hex with optional whitespace and '#' comments.

import * as fs from 'fs';
import * as path from 'path';
import { AnyApiDefinition } from '../../../broker/protocol/api-definition';
import { allApis } from '../../../broker/protocol/messages/index';

/** Parses hex with whitespace and '#' comments (to end of line). */
export function hex(text: string | TemplateStringsArray): Buffer {
  const s = typeof text === 'string' ? text : text.join('');
  const clean = s.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex fixture: ${clean}`);
  return Buffer.from(clean, 'hex');
}

export function toHex(chunks: Buffer | Buffer[]): string {
  return (Array.isArray(chunks) ? Buffer.concat(chunks) : chunks).toString('hex');
}

export interface GoldenFixture {
  file: string;
  api: AnyApiDefinition;
  direction: 'request' | 'response';
  version: number;
  /** The whole frame, size prefix included. */
  bytes: Buffer;
}

export const FIXTURE_DIR = path.join(__dirname, 'fixtures');

function snakeName(api: AnyApiDefinition): string {
  return api.name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Every fixtures/*.hex file whose name follows the convention (others are ignored). */
export function loadFixtures(dir = FIXTURE_DIR): GoldenFixture[] {
  if (!fs.existsSync(dir)) return [];
  const byName = new Map(allApis.map((a) => [snakeName(a), a]));
  const out: GoldenFixture[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const m = /^([a-z_]+)_(request|response)_v(\d+)_\d+\.hex$/.exec(file);
    if (m === null) continue;
    const api = byName.get(m[1]);
    if (api === undefined) continue;
    out.push({
      file,
      api,
      direction: m[2] as 'request' | 'response',
      version: Number(m[3]),
      bytes: hex(fs.readFileSync(path.join(dir, file), 'utf8')),
    });
  }
  return out;
}
