// Small helpers shared by the policies: reading props that may be unknown during preview, per-policy
// config with defaults, URN parsing and message formatting. Only @pulumi/policy is imported.
import * as policySdk from "@pulumi/policy";

// @pulumi/policy exports UnknownValueError at run time, but its typings strip it (marked @internal).
const UnknownValueError = (policySdk as unknown as { UnknownValueError?: new (...a: never[]) => Error })
  .UnknownValueError;

/** The dynamic provider resource type every Vantagepoint resource has under the engine. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** The component tokens this project's components register. */
export const COMPONENT = {
  site: "vantagepoint-connect:index:ConnectSite",
  publicEndpoint: "vantagepoint-connect:index:PublicEndpoint",
  allowList: "vantagepoint-connect:index:ConnectAllowList",
  loginApp: "vantagepoint-connect:index:VantagepointLoginApp",
  mailboxApp: "vantagepoint-connect:index:ConnectMailboxApp",
  keyVault: "vantagepoint-connect:index:ConnectKeyVault",
} as const;

/** Whether `e` is the error the engine's props proxy throws on reading an unknown (preview) value. */
export function isUnknownError(e: unknown): boolean {
  return (
    (UnknownValueError !== undefined && e instanceof UnknownValueError) ||
    (e instanceof Error && /can't be known during preview/.test(e.message) && "unknownTypeSentinel" in e)
  );
}

/**
 * Untyped engine data: resource props as the engine deserializes them (the type @pulumi/policy itself uses).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- props are untyped JSON from the engine
export type Props = Record<string, any>;

/** A value read from props: known with its value, or unknown during preview. */
export type Read<T> = { known: true; value: T } | { known: false };

/** Reads a value, turning the preview proxy's unknown-value error into `{ known: false }`. */
export function read<T>(get: () => T): Read<T> {
  try {
    return { known: true, value: get() };
  } catch (e) {
    if (isUnknownError(e)) return { known: false };
    throw e;
  }
}

/** Whether `obj` has own key `key` (does not read the value, so never trips the unknown proxy). */
export function has(obj: unknown, key: string): boolean {
  return typeof obj === "object" && obj !== null && key in obj;
}

/** An array prop as an array (undefined/null become empty). */
export function arr<T = Props>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** A string prop, or "" when absent or not a string. */
export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The last segment of an Azure sub-resource id (`.../httpListeners/name` -> `name`). */
export function lastSegment(id: unknown): string {
  const s = str(id);
  return s.slice(s.lastIndexOf("/") + 1);
}

/** Per-policy config with each key's default applied where the engine passed nothing. */
export function configOf<T extends object>(args: { getConfig<U extends object>(): U }, defaults: T): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const v = given[key];
    if (v !== undefined && v !== null) out[key] = v as T[keyof T];
  }
  return out;
}

/** The chain of type tokens in a URN, outermost parent first, the resource's own type last. */
export function urnTypeChain(urn: string): string[] {
  const parts = str(urn).split("::");
  return parts.length >= 4 ? parts[2].split("$") : [];
}

/** Whether a resource (by URN) lives under a component with one of the given tokens. */
export function underComponent(urn: string, ...tokens: string[]): boolean {
  return urnTypeChain(urn)
    .slice(0, -1)
    .some((t) => tokens.includes(t));
}

/** Lists up to `max` items and says how many more there are. */
export function listSome(items: readonly string[], max = 10): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** Minimal view of a resource, common to resource and stack policy args. */
export interface ResourceLike {
  type: string;
  urn: string;
  name: string;
  props: Props;
}

/** Which Vantagepoint dynamic resource this is ("ConnectRoster", ...), or undefined. */
export function vpconnectKind(r: ResourceLike): string | undefined {
  if (r.type !== DYNAMIC_TYPE) return undefined;
  const kind = read(() => r.props.vpconnectResource);
  return kind.known && typeof kind.value === "string" ? kind.value : undefined;
}

/** Resource type tokens the policies look at. */
export const TYPE = {
  appGateway: "azure-native:network:ApplicationGateway",
  publicIp: "azure-native:network:PublicIPAddress",
  wafPolicy: "azure-native:network:WebApplicationFirewallPolicy",
  nsg: "azure-native:network:NetworkSecurityGroup",
  securityRule: "azure-native:network:SecurityRule",
  vault: "azure-native:keyvault:Vault",
  vaultSecret: "azure-native:keyvault:Secret",
  application: "azuread:index/application:Application",
  applicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
  servicePrincipalPassword: "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  applicationRedirectUris: "azuread:index/applicationRedirectUris:ApplicationRedirectUris",
  applicationApiAccess: "azuread:index/applicationApiAccess:ApplicationApiAccess",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
} as const;
