// Which authorizer the broker runs (authorizer.class.name) and its settings, read from the
// server.properties originals as Kafka hands them to Authorizer.configure: super.users
// (semicolon-separated principals, AclAuthorizer.SuperUsersProp) and allow.everyone.if.no.acl.found.
// Kafka 2.4 ships two classes with the same behaviour and storage (SimpleAclAuthorizer is the
// deprecated wrapper of AclAuthorizer); any other class name cannot be loaded here, so the broker
// refuses to start with one line, as Kafka does on a ClassNotFoundException.
import { ConfigError } from '../config/config-error';
import { parsePrincipal } from './acl';

export const ACL_AUTHORIZER_CLASSES = ['kafka.security.authorizer.AclAuthorizer', 'kafka.security.auth.SimpleAclAuthorizer'] as const;

export interface AuthorizerSettings {
  className: string;
  superUsers: Set<string>;
  allowEveryoneIfNoAclFound: boolean;
}

/** null: no authorizer (authorizer.class.name empty), everything is allowed. */
export function authorizerSettings(originals: Readonly<Record<string, string>>): AuthorizerSettings | null {
  const className = (originals['authorizer.class.name'] ?? '').trim();
  if (className === '') return null;
  if (!(ACL_AUTHORIZER_CLASSES as readonly string[]).includes(className)) {
    throw new ConfigError(
      `Invalid value ${className} for configuration authorizer.class.name: Class ${className} cannot be found (Zafka supports ${ACL_AUTHORIZER_CLASSES.join(' and ')})`,
    );
  }
  const superUsers = new Set<string>();
  for (const s of (originals['super.users'] ?? '').split(';').map((x) => x.trim()).filter((x) => x !== '')) {
    try {
      superUsers.add(parsePrincipal(s));
    } catch (e) {
      throw new ConfigError(`Invalid value ${originals['super.users']} for configuration super.users: ${(e as Error).message}`);
    }
  }
  // Kafka reads it with String.toBoolean: "true" in any case is true, anything else false.
  const allowEveryoneIfNoAclFound = (originals['allow.everyone.if.no.acl.found'] ?? '').trim().toLowerCase() === 'true';
  return { className, superUsers, allowEveryoneIfNoAclFound };
}
