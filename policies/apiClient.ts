/**
 * Policy on the Connect API client (P6): one resource adopts the API Authorization, protected, retained on
 * delete, with its secret marked secret.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { arr, has, read, ResourceLike, str, Props } from "./lib/props";
import { ofKind } from "./lib/vantagepointResources";

/** P6: the Connect API client is protected / retained on delete, and only one resource manages it. */
export const connectApiClientProtected: StackValidationPolicy = {
  name: "connect-api-client-protected",
  description:
    "The Connect API Authorization must be adopted by exactly one ConnectApiClient resource, protected, with its secret marked secret (and retained on delete, checked where the engine reports that option).",
  enforcementLevel: "mandatory",
  severity: "critical",
  tags: ["vantagepoint-connect", "P6"],
  remediationSteps:
    'Declare one ConnectApiClient with protect: true, retainOnDelete: true and additionalSecretOutputs ["clientSecret"]; remove duplicates with `pulumi state delete`.',
  validateStack: (args, reportViolation) => {
    const clients = ofKind(args, "ConnectApiClient");
    if (clients.length === 0) {
      reportViolation(
        "The stack must adopt the Connect API Authorization with a ConnectApiClient resource, so deleting or editing it is detected.",
      );
      return;
    }
    const byKey = new Map<string, ResourceLike[]>();
    for (const c of clients) {
      const opts = (c as unknown as { opts?: Props }).opts ?? {};
      if (opts.protect !== true) {
        reportViolation(
          `ConnectApiClient '${c.name}' must be protected (protect: true): deleting it breaks Connect for everyone.`,
          c.urn,
        );
      }
      // @pulumi/policy 1.21 does not pass retainOnDelete to policies; check it whenever the caller does.
      if ("retainOnDelete" in opts && opts.retainOnDelete !== true) {
        reportViolation(
          `ConnectApiClient '${c.name}' must be retained on delete (retainOnDelete: true).`,
          c.urn,
        );
      }
      if (!arr<string>(opts.additionalSecretOutputs).includes("clientSecret")) {
        reportViolation(
          `ConnectApiClient '${c.name}' must list "clientSecret" in additionalSecretOutputs.`,
          c.urn,
        );
      }
      const conn = read(() => ({ url: str(c.props.connection?.url), db: str(c.props.connection?.database) }));
      const name = read(() => str(c.props.name));
      if (!conn.known || !name.known) continue;
      const key = `${conn.value.url.toLowerCase().replace(/\/+$/, "")}|${conn.value.db.toLowerCase()}|${name.value.toLowerCase()}`;
      byKey.set(key, [...(byKey.get(key) ?? []), c]);
      if (has(c.props, "clientId")) {
        const id = read(() => str(c.props.clientId));
        if (id.known && id.value !== "") {
          const idKey = `${conn.value.url.toLowerCase().replace(/\/+$/, "")}|${conn.value.db.toLowerCase()}|id:${id.value.toLowerCase()}`;
          byKey.set(idKey, [...(byKey.get(idKey) ?? []), c]);
          // Connect finds its API Authorization by Client ID (Connect Administration's Settings tab): the adopted
          // record must be the configured one, whatever its name says.
          const expected = read(() => str(c.props.expectedClientId));
          if (
            expected.known &&
            expected.value !== "" &&
            expected.value.toLowerCase() !== id.value.toLowerCase()
          ) {
            reportViolation(
              `ConnectApiClient '${c.name}' must adopt the API Authorization with the configured Client ID ${expected.value} (vantagepoint.connectApiClient.clientId); it holds ${id.value}.`,
              c.urn,
            );
          }
        }
      }
    }
    const reported = new Set<string>();
    for (const group of byKey.values()) {
      if (group.length < 2) continue;
      for (const c of group) {
        if (reported.has(c.urn)) continue;
        reported.add(c.urn);
        const others = group.filter((o) => o !== c).map((o) => o.name);
        reportViolation(
          `Only one resource may manage the Connect API Authorization; ConnectApiClient '${c.name}' manages the same one as ${others.join(", ")}.`,
          c.urn,
        );
      }
    }
  },
};
