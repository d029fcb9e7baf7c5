/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf messages from the SDK's generated stubs are untyped JavaScript */
/**
 * The analyzer protocol's messages as the engine builds and reads them: enforcement level and severity mapping,
 * the analyzer info, diagnostics and remediations read from replies, and the resource descriptions (options,
 * provider, properties as struct bytes) written into Analyze, Remediate and AnalyzeStack requests. Used by
 * analyzer.ts.
 */
import type { EnforcementLevel } from "../lib/reports/model";
import { analyzerProto as proto, toStruct } from "./grpc/proto";
import { messageField, structBytes } from "./grpc/structWire";

export const structProto = { Struct: { fromJavaScript: (v: Record<string, unknown>) => toStruct(v) } };

export const LEVEL_TO_PROTO: Record<EnforcementLevel, number> = {
  advisory: proto.EnforcementLevel.ADVISORY,
  mandatory: proto.EnforcementLevel.MANDATORY,
  disabled: proto.EnforcementLevel.DISABLED,
  remediate: proto.EnforcementLevel.REMEDIATE,
};
export const PROTO_TO_LEVEL = new Map<number, EnforcementLevel>(
  Object.entries(LEVEL_TO_PROTO).map(([k, v]) => [v, k as EnforcementLevel]),
);
const SEVERITIES = ["", "low", "medium", "high", "critical"];

/** What GetAnalyzerInfo says about one policy. */
export interface AnalyzerPolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack";
  configSchema?: { properties?: Record<string, unknown>; required?: string[] };
  severity?: string;
  remediationSteps?: string;
  tags: string[];
}

export interface AnalyzerInfo {
  name: string;
  version: string;
  supportsConfig: boolean;
  policies: AnalyzerPolicyInfo[];
  /** The pack's initial config (PolicyPack's third argument), as `{ policy: { enforcementLevel?, ...props } }`. */
  initialConfig: Record<string, unknown>;
}

/** A resource as the engine describes it to an analyzer (plugin.AnalyzerResource). */
export interface EngineResource {
  urn: string;
  type: string;
  name: string;
  parent: string;
  protect: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs: string[];
  customTimeouts: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  providerResource?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
}

/** An engine resource with the engine's defaults for every option it does not set (as for a default provider). */
export function engineResource(
  fields: Pick<EngineResource, "urn" | "type" | "name"> & Partial<EngineResource>,
): EngineResource {
  return {
    parent: "",
    protect: false,
    ignoreChanges: [],
    additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    dependencies: [],
    propertyDependencies: {},
    ...fields,
  };
}

export interface Diagnostic {
  policy: string;
  pack: string;
  description: string;
  /** The text the engine prints (description, newline, message for a plain reportViolation). */
  engineMessage: string;
  level: EnforcementLevel;
  urn: string;
  severity?: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: Array<{ policy: string; reason: string }>;
}

export interface Remediation {
  policy: string;
  description: string;
  diagnostic: string;
  properties?: Record<string, unknown>;
}

export function readInfo(response: any): AnalyzerInfo {
  const initialConfig: Record<string, unknown> = {};
  response.getInitialconfigMap().forEach((v: any, k: string) => {
    const props = v.getProperties()?.toJavaScript() ?? {};
    initialConfig[k] = { enforcementLevel: PROTO_TO_LEVEL.get(v.getEnforcementlevel()), ...props };
  });
  return {
    name: response.getName(),
    version: response.getVersion(),
    supportsConfig: response.getSupportsconfig(),
    initialConfig,
    policies: response.getPoliciesList().map((p: any): AnalyzerPolicyInfo => {
      const schema = p.getConfigschema();
      const severity = SEVERITIES[p.getSeverity()] ?? "";
      return {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: PROTO_TO_LEVEL.get(p.getEnforcementlevel()) ?? "advisory",
        kind: p.getPolicyType() === proto.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
        ...(schema
          ? {
              configSchema: {
                properties: schema.getProperties()?.toJavaScript() ?? {},
                required: schema.getRequiredList(),
              },
            }
          : {}),
        ...(severity ? { severity } : {}),
        ...(p.getRemediationSteps() ? { remediationSteps: p.getRemediationSteps() } : {}),
        tags: p.getTagsList(),
      };
    }),
  };
}

export function readNotApplicable(list: any[]): Array<{ policy: string; reason: string }> {
  return list.map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() }));
}

export function readAnalyzeResponse(response: any): AnalyzeResult {
  return {
    diagnostics: response.getDiagnosticsList().map((d: any): Diagnostic => {
      const severity = SEVERITIES[d.getSeverity()] ?? "";
      return {
        policy: d.getPolicyname(),
        pack: d.getPolicypackname(),
        description: d.getDescription(),
        engineMessage: d.getMessage(),
        level: PROTO_TO_LEVEL.get(d.getEnforcementlevel()) ?? "advisory",
        urn: d.getUrn(),
        ...(severity ? { severity } : {}),
      };
    }),
    notApplicable: readNotApplicable(response.getNotApplicableList()),
  };
}

export function resourceOptions(r: EngineResource): any {
  const opts = new proto.AnalyzerResourceOptions();
  opts.setProtect(r.protect);
  opts.setIgnorechangesList(r.ignoreChanges);
  opts.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
  opts.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
  opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs);
  opts.setAliasesList([]);
  const timeouts = new proto.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(r.customTimeouts.createSeconds);
  timeouts.setUpdate(r.customTimeouts.updateSeconds);
  timeouts.setDelete(r.customTimeouts.deleteSeconds);
  opts.setCustomtimeouts(timeouts);
  opts.setParent(r.parent);
  return opts;
}

export function providerResource(p: NonNullable<EngineResource["providerResource"]>): any {
  const out = new proto.AnalyzerProviderResource();
  out.setUrn(p.urn);
  out.setType(p.type);
  out.setName(p.name);
  out.setProperties(structProto.Struct.fromJavaScript(p.properties));
  return out;
}

/**
 * An AnalyzeRequest's bytes: the message without its properties (google-protobuf), then the properties as field 2
 * (AnalyzeRequest.properties) written by structWire.ts. Protobuf reads fields in any order, so the analyzer
 * decodes exactly the message google-protobuf would have built, without millions of intermediate objects for a
 * large roster.
 */
export function analyzeRequestBytes(r: EngineResource, properties: Record<string, unknown>): Buffer {
  const request = new proto.AnalyzeRequest();
  request.setUrn(r.urn);
  request.setType(r.type);
  request.setName(r.name);
  request.setOptions(resourceOptions(r));
  if (r.providerResource) request.setProvider(providerResource(r.providerResource));
  return Buffer.concat([request.serializeBinary() as Uint8Array, messageField(2, propertyBytes(properties))]);
}

/**
 * Struct bytes per property bag: every pack is sent the same bags, encoded once (bags are never mutated), and
 * released (releasePropertyBytes) once every pack has been sent them.
 */
const encoded = new WeakMap<object, Buffer>();

/** Forgets the bytes of bags every pack has been sent: they are not sent again. */
export function releasePropertyBytes(bags: Iterable<object>): void {
  for (const bag of bags) encoded.delete(bag);
}
export function propertyBytes(properties: Record<string, unknown>): Buffer {
  let bytes = encoded.get(properties);
  if (!bytes) {
    bytes = structBytes(properties);
    encoded.set(properties, bytes);
  }
  return bytes;
}
