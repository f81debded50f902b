// The console's HTTP server (fastify): the page and its modules from console/web, uPlot from
// node_modules, and a small JSON API read from the poller's cache. Actions are POSTs, refused in
// --read-only mode; optional HTTP basic auth guards everything. Every failure answers JSON
// {error} with a status the page shows as a sentence; nothing a request does can stop the server.
import { timingSafeEqual } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import type { ClusterClient } from '../../admin-cli/client/cluster-client';
import { ActionInputError, type ConsoleActions } from './console-actions';
import type { ClusterPoller } from './cluster-poller';
import { clusterView, groupsView, groupView, topicsView, topicView } from './console-views';
import { browse, MAX_RECORDS } from './message-browser';

export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

export interface ConsoleAppOptions {
  poller: ClusterPoller;
  actions: ConsoleActions;
  client: ClusterClient;
  readOnly: boolean;
  /** "user:password", or null for no authentication. */
  basicAuth: string | null;
  log?: (line: string) => void;
}

/** Errors the cluster answers while it changes (controller moving, leader elections): retry later. */
const TRANSIENT = new Set<number>([ErrorCode.NOT_CONTROLLER, ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.NETWORK_EXCEPTION, ErrorCode.REQUEST_TIMED_OUT, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.BROKER_NOT_AVAILABLE]);

function statusOf(err: unknown): number {
  if (err instanceof ActionInputError) return 400;
  if (err instanceof KafkaError) {
    if (err.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return 404;
    if (TRANSIENT.has(err.code)) return 503;
    return 400;
  }
  const v = (err as { statusCode?: number }).statusCode;
  return typeof v === 'number' && v >= 400 && v < 600 ? v : 500;
}

function errorText(err: unknown): string {
  if (err instanceof KafkaError) {
    const name = ErrorCode[err.code] ?? String(err.code);
    const text = err.message && err.message !== name ? err.message : name;
    return TRANSIENT.has(err.code) ? `${text} (the cluster is changing: try again in a moment)` : text;
  }
  return err instanceof Error ? err.message : String(err);
}

function sendJson(reply: FastifyReply, json: string | null, notFound: string): FastifyReply {
  if (json === null) return reply.code(404).send({ error: notFound });
  return reply.type('application/json').send(json);
}

function optionalInt(v: unknown, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new ActionInputError(`${name} must be a whole number, got '${String(v)}'.`);
  return Number(v);
}

export async function buildConsoleApp(o: ConsoleAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  if (o.basicAuth !== null) {
    const expected = Buffer.from(`Basic ${Buffer.from(o.basicAuth).toString('base64')}`);
    app.addHook('onRequest', async (req, reply) => {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        return reply.code(401).header('WWW-Authenticate', 'Basic realm="Zafka Console"').send({ error: 'Authentication required.' });
      }
    });
  }

  app.setErrorHandler((err, req, reply) => {
    const status = statusOf(err);
    if (status >= 500 && status !== 503) log(`[console] ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    reply.code(status).send({ error: errorText(err) });
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: `No such API: ${req.method} ${req.url}` });
    // Anything else is a page route of the single-page client.
    return reply.sendFile('index.html');
  });

  await app.register(fastifyStatic, { root: path.join(REPO_ROOT, 'console/web'), prefix: '/' });
  await app.register(fastifyStatic, { root: path.join(REPO_ROOT, 'node_modules/uplot/dist'), prefix: '/vendor/uplot/', decorateReply: false });

  const ready = (reply: FastifyReply): boolean => {
    if (o.poller.result !== null) return true;
    reply.code(503).send({ error: `The console has not read the cluster yet${o.poller.lastError ? `: ${o.poller.lastError}` : ''}.` });
    return false;
  };

  app.get('/api/cluster', async (_req, reply) => {
    if (!ready(reply)) return reply;
    const extra = { readOnly: o.readOnly, refreshMs: o.poller.intervalMs, lastError: o.poller.lastError, lastRefreshMs: o.poller.lastRefreshMs };
    return sendJson(reply, o.poller.view('cluster', (r) => clusterView(r, extra)), 'no cluster');
  });
  app.get('/api/topics', async (_req, reply) => {
    if (!ready(reply)) return reply;
    return sendJson(reply, o.poller.view('topics', topicsView), 'no topics');
  });
  app.get<{ Params: { topic: string } }>('/api/topics/:topic', async (req, reply) => {
    if (!ready(reply)) return reply;
    const name = req.params.topic;
    return sendJson(reply, o.poller.view(`topic\u0000${name}`, (r) => topicView(r, name)), `Topic '${name}' does not exist.`);
  });
  app.get<{ Params: { topic: string; partition: string }; Querystring: Record<string, string> }>('/api/topics/:topic/partitions/:partition/messages', async (req) => {
    const partition = optionalInt(req.params.partition, 'partition');
    if (partition === undefined || partition < 0) throw new ActionInputError('partition must be a whole number of at least 0.');
    const timestamp = req.query.timestamp ? Date.parse(req.query.timestamp) : undefined;
    if (timestamp !== undefined && Number.isNaN(timestamp)) throw new ActionInputError(`timestamp '${req.query.timestamp}' is not a date and time.`);
    const limit = optionalInt(req.query.limit, 'limit') ?? 50;
    const waitMs = Math.min(Math.max(optionalInt(req.query.waitMs, 'waitMs') ?? 0, 0), 5000);
    return browse(o.client, { topic: req.params.topic, partition, offset: optionalInt(req.query.offset, 'offset'), timestamp, limit: Math.min(limit, MAX_RECORDS), waitMs });
  });
  app.get('/api/groups', async (_req, reply) => {
    if (!ready(reply)) return reply;
    return sendJson(reply, o.poller.view('groups', groupsView), 'no groups');
  });
  app.get<{ Params: { kind: string; group: string } }>('/api/groups/:kind/:group', async (req, reply) => {
    if (!ready(reply)) return reply;
    const { kind, group } = req.params;
    return sendJson(reply, o.poller.view(`group\u0000${kind}\u0000${group}`, (r) => groupView(r, group, kind)), `Consumer group '${group}' does not exist.`);
  });
  app.get('/api/reassignment', async () => o.actions.reassignmentProgress());

  // Actions accept only JSON bodies: a cross-site page cannot send one without a CORS preflight,
  // which this server never grants, so another site open in the operator's browser cannot act.
  app.addHook('preHandler', async (req, reply) => {
    if (req.method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return reply.code(415).send({ error: 'Actions take a JSON body (Content-Type: application/json).' });
    }
  });
  app.post<{ Params: { name: string }; Body: Record<string, unknown> }>('/api/actions/:name/preview', async (req) => {
    return { cli: o.actions.plan(req.params.name, req.body ?? {}).cli };
  });
  app.post<{ Params: { name: string }; Body: Record<string, unknown> }>('/api/actions/:name', async (req, reply) => {
    if (o.readOnly) return reply.code(403).send({ error: 'The console runs in --read-only mode: actions are disabled.' });
    const plan = o.actions.plan(req.params.name, req.body ?? {});
    const result = await plan.run();
    log(`[console] action ${req.params.name}: ${result.message}`);
    // Show the effect on the next page refresh rather than one interval later.
    await o.poller.refresh({ configs: true });
    return { ...result, cli: plan.cli };
  });
  return app;
}
