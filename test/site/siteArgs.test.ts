/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
// The bundled program's mapping from validated stack config to ConnectSite's typed args (program/siteArgs.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../../lib/config/load";
import { parseStackFile } from "../../lib/config/stackFile";
import type { VantagepointConnection } from "../../lib/vantagepoint/types";
import { siteArgsFromConfig } from "../../program/siteArgs";
import { isSecretOutput, valueOf } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const devFile = "stacks/Pulumi.dev.yaml";

/** The dev stack's config, changed by `edit`, validated, then mapped. */
function argsFor(edit: (c: Record<string, any>) => void = () => {}) {
  const raw = structuredClone(
    parseStackFile(readFileSync(path.join(root, devFile), "utf8"), devFile).config,
  ) as Record<string, any>;
  edit(raw);
  const loaded = loadStackConfig(raw, {
    source: devFile,
    secretOverrides: {
      "vantagepoint.password": "sentinel-map-password",
      "vantagepoint.clientSecret": "sentinel-map-secret",
    },
  });
  return siteArgsFromConfig(loaded);
}

describe("stack config to ConnectSite args", () => {
  it("maps the dev stack's sections to the args they configure", () => {
    const args = argsFor();
    assert.equal(args.namePrefix, "vpconnect-dev");
    assert.equal(args.publicHostname, "vantagepoint.example.com");
    assert.deepEqual(args.backend.protocol, "Https");
    assert.equal(
      args.backend.hostName,
      "vantagepoint.example.com",
      "host header defaults to the public host",
    );
    assert.ok(args.loginApp, "entraId login: the login app");
    assert.equal(args.mailboxApp, undefined, "the mailbox app is off by default");
    assert.equal(args.verification?.mode, "report");
    assert.equal(args.verification?.loginUrl, "https://vantagepoint.example.com/vantagepoint/app");
    assert.equal(args.vantagepoint!.roster.length, 6);
    assert.equal(args.vantagepoint!.requireAdministratorType, true);
  });

  it("turns http backends, Windows login, a disabled mailbox app and verification off into their args", () => {
    const args = argsFor((c) => {
      c["vpconnect:site"].backend.protocol = "http";
      c["vpconnect:site"].verification = "off";
      c["vpconnect:entra"].loginMode = "windows";
      delete c["vpconnect:entra"].loginApp;
      c["vpconnect:entra"].mailboxApp = { enabled: false, secretRotatedOn: "2026-11-01" };
      c["vpconnect:vantagepoint"].version = "6.5";
    });
    assert.equal(args.backend.protocol, "Http");
    assert.equal(args.loginApp, undefined, "Windows login: no Entra login app");
    assert.equal(args.mailboxApp, undefined, "mailbox app disabled");
    assert.equal(args.verification?.mode, "off");
    assert.equal(args.vantagepoint!.requireAdministratorType, false, "before 7.0");
  });

  it("hands the connection over as a Pulumi secret", async () => {
    const { connection } = argsFor().vantagepoint!;
    assert.ok(pulumi.Output.isInstance(connection));
    assert.equal(await isSecretOutput(connection as pulumi.Output<unknown>), true);
    const value = await valueOf(connection as pulumi.Output<VantagepointConnection>);
    assert.equal(value.password, "sentinel-map-password");
  });
});
