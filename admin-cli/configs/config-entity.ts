// Which entity a kafka-configs command names, as Kafka 2.4's ConfigCommand.ConfigEntity: a root
// (topics, brokers, clients, users) and, for <user, client> quotas, a child (clients under a
// user). Names are sanitized for ZooKeeper (URL-encoding, Kafka's Sanitizer) for users and
// clients; an absent name means "all of them" for --describe; --entity-default is <default>.
import { CONFIG_ENTITY_DEFAULT } from '../../controller/zk/admin-zk-config';
import type { ConfigEntityType } from '../../controller/zk/zk-data';
import { UsageError } from '../shared/usage-error';

/** Java's URLEncoder.encode (UTF-8) keeps these; '*' and ' ' then become %2A and %20 (Sanitizer.sanitize). */
const URL_SAFE = /[A-Za-z0-9._\-]/;

/** org.apache.kafka.common.utils.Sanitizer.sanitize. */
export function sanitize(name: string): string {
  let out = '';
  for (const ch of name) {
    if (URL_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Sanitizer.desanitize (URLDecoder.decode: '+' is a space). */
export function desanitize(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

export class Entity {
  constructor(
    readonly entityType: ConfigEntityType,
    /** Sanitized; null = every entity of the type. */
    readonly sanitizedName: string | null,
  ) {}

  get entityPath(): string {
    return this.sanitizedName === null ? this.entityType : `${this.entityType}/${this.sanitizedName}`;
  }

  /** Kafka's Entity.toString: "topic 't'", "client-id 'c'", "default user-principal", "brokers". */
  toString(): string {
    const typeName = { users: 'user-principal', clients: 'client-id', topics: 'topic', brokers: 'brokers' }[this.entityType];
    if (this.sanitizedName === null) return this.entityType;
    if (this.sanitizedName === CONFIG_ENTITY_DEFAULT) return `default ${typeName}`;
    const shown = this.entityType === 'users' || this.entityType === 'clients' ? desanitize(this.sanitizedName) : this.sanitizedName;
    return `${typeName} '${shown}'`;
  }
}

export class ConfigEntity {
  constructor(
    readonly root: Entity,
    readonly child: Entity | null = null,
  ) {}

  /** The znode name under /config/<root type>: "<user>" or "<user>/clients/<client>". */
  get fullSanitizedName(): string {
    return (this.root.sanitizedName ?? '') + (this.child ? `/${this.child.entityPath}` : '');
  }

  toString(): string {
    return this.root.toString() + (this.child ? `, ${this.child.toString()}` : '');
  }
}

/** One --entity-type and the --entity-name / --entity-default given with it, in command-line order. */
export interface EntitySpec {
  types: ConfigEntityType[];
  /** For each --entity-name or --entity-default in order: the name, or '' for the default. */
  names: string[];
}

/**
 * ConfigCommand.parseEntity: topics and brokers take at most one name (brokers: --entity-default
 * is <default>); users and clients are sanitized, and "clients then users" is turned round so the
 * user is the root.
 */
export function parseEntity(spec: EntitySpec, alter: boolean): ConfigEntity {
  const first = spec.types[0];
  if (first !== 'users' && first !== 'clients') {
    const named = spec.names.find((n) => n !== '');
    const name = named ?? (first === 'brokers' && spec.names.includes('') ? CONFIG_ENTITY_DEFAULT : null);
    return new ConfigEntity(new Entity(first, name));
  }
  if (alter && spec.names.length !== spec.types.length) {
    throw new UsageError('--entity-name or --entity-default must be specified with each --entity-type for --alter');
  }
  const reverse = spec.types.length === 2 && first === 'clients';
  const types = reverse ? [...spec.types].reverse() : spec.types;
  const names = reverse && spec.names.length === 2 ? [...spec.names].reverse() : spec.names;
  const entities = types.map((t, i) => new Entity(t, i < names.length ? (names[i] === '' ? CONFIG_ENTITY_DEFAULT : sanitize(names[i])) : null));
  return new ConfigEntity(entities[0], entities[1] ?? null);
}
