/**
 * Reading the Vantagepoint dynamic resources for the policies (moved from policies/vantagepoint.ts): resources of
 * one kind, roster entries (read once per resource), the roster's `people` output and what is wrong with a person.
 */
import { StackValidationArgs } from "@pulumi/policy";
import { emailProblem } from "../../lib/people";
import { rosterEntriesOf } from "../../lib/vantagepoint/rosterText";
import { arr, has, isUnknownError, read, ResourceLike, str, vpconnectKind, Props } from "./props";

/** A role's types as a set: a list, or text separated by "," ";" or "|". */
export function roleTypesOf(value: unknown): string[] {
  const parts = Array.isArray(value)
    ? value.map(String)
    : typeof value === "string"
      ? value.split(/[,;|]/)
      : [];
  return parts.map((t) => t.trim()).filter(Boolean);
}

/** Resources of one Vantagepoint kind. */
export function ofKind(args: StackValidationArgs, kind: string): ResourceLike[] {
  return (args.resources as unknown as ResourceLike[]).filter((r) => vpconnectKind(r) === kind);
}

/** A roster entry (input). */
export interface Entry {
  userId: string;
  email: string;
  role: string;
  configurer: boolean;
}

/** A person as the roster read them from Vantagepoint (output). */
export interface Person {
  userId: string;
  employee: string;
  email: string;
  employeeStatus: string;
  userStatus: string;
  linked: boolean;
}

/** A roster resource that holds one shard of a roster spread over several (input `shard.count` above 1). */
export function isShard(r: ResourceLike): boolean {
  const shard = r.props.shard as Props | undefined;
  return typeof shard === "object" && shard !== null && Number(shard.count) > 1;
}

/** Each roster resource's entries read once (roster text is parsed, not re-read by every policy and shard). */
const readEntries = new WeakMap<object, { entries: Entry[]; problem?: string }>();

/**
 * A roster resource's entries: roster text (one JSON object a line, as ConnectRoster writes it) or a list. Text
 * that cannot be read gives no entries and a problem (P5 reports it): never a roster read as empty by mistake.
 */
export function rosterOf(r: ResourceLike): { entries: Entry[]; problem?: string } {
  const known = readEntries.get(r);
  if (known) return known;
  let value: unknown = [];
  let problem: string | undefined;
  try {
    value = r.props.entries === undefined ? [] : rosterEntriesOf(r.props.entries);
  } catch (e) {
    if (isUnknownError(e)) throw e; // unknown in a preview: the policy's own handling applies
    problem = e instanceof Error ? e.message : String(e);
  }
  const out = {
    entries: arr<Props>(value).map((e) => ({
      userId: str(e.userId),
      email: str(e.email),
      role: str(e.role),
      configurer: e.configurer === true,
    })),
    ...(problem ? { problem } : {}),
  };
  readEntries.set(r, out);
  return out;
}

export function entriesOf(r: ResourceLike): Entry[] {
  return rosterOf(r).entries;
}

/** The roster's `people` output: undefined when missing or unknown (not yet read from Vantagepoint). */
export function peopleOf(r: ResourceLike): Map<string, Person> | undefined {
  if (!has(r.props, "people")) return undefined;
  const people = read(() =>
    arr<Props>(r.props.people).map((p) => ({
      userId: str(p.userId),
      employee: str(p.employee),
      email: str(p.email),
      employeeStatus: str(p.employeeStatus),
      userStatus: str(p.userStatus),
      linked: p.linked === true,
    })),
  );
  if (!people.known || !Array.isArray(r.props.people)) return undefined;
  return new Map(people.value.map((p) => [p.userId.toLowerCase(), p]));
}

/** What is wrong with a person Connect depends on, or an empty list. */
export function personProblems(p: Person): string[] {
  const out: string[] = [];
  if (!p.linked || p.employee === "") out.push("employee not linked to the user");
  if (p.employeeStatus !== "A")
    out.push(`employee status ${p.employeeStatus || "(none)"}, must be A (Active)`);
  if (p.userStatus !== "A") out.push(`user status ${p.userStatus || "(none)"}, must be A (Active)`);
  if (emailProblem(p.email) !== undefined) out.push("employee email missing or invalid");
  return out;
}

export const NOT_READ =
  "is not known until the resource has read Vantagepoint (pulumi up, or vpconnect check against a Vantagepoint URL or the emulator); the inputs were checked";
