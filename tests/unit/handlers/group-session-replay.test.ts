// The group handlers replay a real client's consumer-group session, captured from the wire
// (tests/unit/protocol/fixtures, recorded by tests/tools/capture-golden.ts from kafkajs and from
// kcat -G, i.e. librdkafka): JoinGroup (MEMBER_ID_REQUIRED, then the join with the member id),
// SyncGroup, OffsetFetch, Heartbeat, OffsetCommit, LeaveGroup. Each captured request is decoded,
// its member id swapped for the one this coordinator handed out, passed to the handler as the
// dispatcher would, and the answer compared with what Zafka answered the client live.
import * as fs from 'fs';
import * as path from 'path';
import type { GroupCoordinator } from '../../../broker/group/group-coordinator';
import type { RequestContext } from '../../../broker/handlers/api-handler';
import { heartbeatHandler } from '../../../broker/handlers/heartbeat';
import { joinGroupHandler } from '../../../broker/handlers/join-group';
import { leaveGroupHandler } from '../../../broker/handlers/leave-group';
import { offsetCommitHandler } from '../../../broker/handlers/offset-commit';
import { offsetFetchHandler } from '../../../broker/handlers/offset-fetch';
import { syncGroupHandler } from '../../../broker/handlers/sync-group';
import { decodeRequestBody, decodeResponse } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { coordinatorOver, FakeOffsetsLog } from '../group/fake-offsets-log';
import { FIXTURE_DIR, loadFixtures, type GoldenFixture } from '../protocol/golden';

interface Captured {
  request: GoldenFixture;
  response: GoldenFixture;
}

/** The captured group-session pairs of one client, in the order the session sent them. */
function sessionOf(client: 'kafkajs' | 'kcat'): Captured[] {
  const group = `golden-${client}`;
  const fixtures = loadFixtures().filter((f) => fs.readFileSync(path.join(FIXTURE_DIR, f.file), 'utf8').includes(group));
  const seqOf = (f: GoldenFixture) => f.file.replace(/^.*_(\d+)\.hex$/, '$1');
  const pairs = fixtures
    .filter((f) => f.direction === 'request')
    .map((request) => ({ request, response: loadFixtures().find((r) => r.direction === 'response' && r.api === request.api && r.version === request.version && seqOf(r) === seqOf(request))! }));
  const correlationId = (f: GoldenFixture) => f.bytes.readInt32BE(8);
  // Every client numbers its requests per connection; the group session runs on one connection
  // to the coordinator, so the correlation ids give the order.
  return pairs.sort((a, b) => correlationId(a.request) - correlationId(b.request));
}

const HANDLERS = new Map<string, { handle: (req: never, version: number, ctx: RequestContext) => unknown }>([
  ['JoinGroup', joinGroupHandler],
  ['SyncGroup', syncGroupHandler],
  ['Heartbeat', heartbeatHandler],
  ['OffsetCommit', offsetCommitHandler],
  ['OffsetFetch', offsetFetchHandler],
  ['LeaveGroup', leaveGroupHandler],
] as never);

function contextFor(fx: GoldenFixture, coordinator: GroupCoordinator): RequestContext {
  const frame = fx.bytes.subarray(4);
  return {
    header: decodeRequestHeader(frame),
    listenerName: 'PLAINTEXT',
    clientAddress: '127.0.0.1',
    principal: 'ANONYMOUS',
    requestSize: fx.bytes.length,
    throttle: () => undefined,
    supportedVersions: [],
    // Every partition the session names exists (OffsetCommit checks the metadata cache); no authorizer.
    broker: { groupCoordinator: coordinator, metadataCache: { partitionState: () => ({}) }, authorizer: null },
  } as unknown as RequestContext;
}

/** Replaces the live member id with ours everywhere a request carries it. */
function withMemberId(body: Record<string, unknown>, live: string | null, ours: string | null): Record<string, unknown> {
  if (live === null || ours === null) return body;
  return JSON.parse(JSON.stringify(body, (_k, v) => (v === live ? ours : v)), (_k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data) : v));
}

for (const client of ['kafkajs', 'kcat'] as const) {
  describe(`a ${client} consumer-group session replayed through the handlers`, () => {
    const session = sessionOf(client);
    let log: FakeOffsetsLog;
    let coordinator: GroupCoordinator;

    beforeAll(async () => {
      log = new FakeOffsetsLog();
      coordinator = coordinatorOver(log);
      coordinator.onElection(0);
      const deadline = Date.now() + 2000;
      while (!coordinator.manager.isPartitionOwned(0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    });

    afterAll(() => coordinator.shutdown());

    test('the capture holds the whole session', () => {
      const apis = new Set(session.map((p) => p.request.api.name));
      for (const name of HANDLERS.keys()) expect(apis).toContain(name);
    });

    test('every request gets the answer Zafka gave live (member ids aside)', async () => {
      let liveMemberId: string | null = null;
      let ourMemberId: string | null = null;
      for (const { request, response } of session) {
        const handler = HANDLERS.get(request.api.name);
        if (!handler) continue; // FindCoordinator: answered from the metadata cache, not the group
        const frame = request.bytes.subarray(4);
        const header = decodeRequestHeader(frame);
        const body = withMemberId(decodeRequestBody(request.api, request.version, frame, header.bodyOffset) as Record<string, unknown>, liveMemberId, ourMemberId);
        const ours = (await handler.handle(body as never, request.version, contextFor(request, coordinator))) as Record<string, unknown>;
        const live = decodeResponse(response.api, response.version, response.bytes.subarray(4)).body as Record<string, unknown>;
        if (request.api.name === 'JoinGroup') {
          // A member id is the client id and a random UUID: the shape is compared, not the value.
          if (liveMemberId === null) {
            liveMemberId = live.memberId as string;
            ourMemberId = ours.memberId as string;
          }
          expect(String(ourMemberId).startsWith(String(header.clientId))).toBe(true);
          expect(withMemberId(ours, ourMemberId, liveMemberId)).toEqual(live);
        } else {
          expect({ api: request.api.name, ...withMemberId(ours, ourMemberId, liveMemberId) }).toEqual({ api: request.api.name, ...live });
        }
      }
      expect(ourMemberId).not.toBeNull();
      // The session ended with LeaveGroup: the group is empty, its commits kept.
      const fetched = coordinator.handleFetchOffsets(`golden-${client}`, null);
      expect(fetched.errorCode).toBe(ErrorCode.NONE);
      expect(fetched.offsets.length).toBeGreaterThan(0);
    });
  });
}
