/**
 * The login app's client secret in two slots (lib/rotation.ts has the rules): two `ApplicationPassword`s with
 * staggered end dates, the Key Vault secret holding the active one. Not a component of its own: the passwords
 * and the vault secret are children of VantagepointLoginApp.
 *
 * - Every input of an `ApplicationPassword` forces replacement, and Pulumi deletes the replaced one at the end of
 *   the same `pulumi up`, while Vantagepoint still holds its value. `retainOnDelete` makes Pulumi skip that
 *   delete: a replaced or removed password keeps working in Entra until its own end date (Pulumi docs,
 *   "retainOnDelete": "will not call through to the resource provider's Delete method when deleting or replacing
 *   the resource"; shared/reference/entra-graph-and-rotation.md). The app's deletion still removes them all.
 * - A retiring slot past its end date leaves the program (and, retained, only Pulumi's state): a dead password
 *   would fail the mandatory entra-secret-max-lifetime policy on every run until the next rotation.
 * - Slot A is the single password of earlier versions: same inputs, and an alias from its old name
 *   (`<name>-password`), so upgrading keeps today's secret valid without a replacement.
 * - A tenant app management policy that caps `passwordLifetime` makes Entra refuse the create with
 *   `CredentialInvalidLifetimeAsPerAppPolicy` ("Credential lifetime exceeds the max value allowed as per assigned
 *   policy"; OfficeDev/microsoft-365-agents-toolkit#10998): `pulumi up` stops at that password, and the vault
 *   secret, which depends on it, keeps the value Vantagepoint holds.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { parseVaultId, secretNameProblem } from "../lib/secretExpiry";
import { COMPONENT_ROTATION_FIELDS, liveSlots, rotationPlan, rotationProblems } from "../lib/rotation";
import type { RotationPlan, SlotName, SlotPlan } from "../lib/rotation";

/** The two-slot secret settings the login app takes. */
export interface LoginSecretArgs {
  /** Slot A's issue day, YYYY-MM-DD (the single secret of earlier versions). */
  secretRotatedOn: string;
  /** Slot B's issue day, YYYY-MM-DD; set it to rotate (the slot issued last is active). */
  secretSlotBRotatedOn?: string;
  /** Lifetime of each slot in days from its own issue day (default and maximum 730). */
  secretLifetimeDays?: number;
  /** Days the retiring slot must outlive the active one's issue day (default 30). */
  secretOverlapDays?: number;
  /** Warn this many days before the active slot expires (default overlap + 30). */
  secretWarningDays?: number;
  /** Overridable clock for tests; it decides warnings only, never which slot is active. */
  now?: Date;
}

/** What the login app exports about its secret. */
export interface LoginSecret {
  passwords: Record<SlotName, azuread.ApplicationPassword | undefined>;
  vaultSecret: keyvault.Secret;
  plan: RotationPlan;
  /** RFC 3339 end date of the active slot (what the vault secret holds). */
  expiresOn: string;
  secretName: pulumi.Output<string>;
}

/**
 * Checks the settings before anything is registered: throws naming the field on a bad date, lifetime, overlap or
 * an expired active slot; returns the plan and the warnings to print.
 */
export function checkLoginSecret(
  args: LoginSecretArgs & { secretName?: pulumi.Input<string> },
  defaultLifetimeDays: number,
): { plan: RotationPlan; warnings: string[] } {
  const plan = rotationPlan({
    slotA: args.secretRotatedOn,
    slotB: args.secretSlotBRotatedOn,
    lifetimeDays: args.secretLifetimeDays ?? defaultLifetimeDays,
    overlapDays: args.secretOverlapDays,
    warningDays: args.secretWarningDays,
  });
  const problems = rotationProblems(plan, args.now ?? new Date(), COMPONENT_ROTATION_FIELDS);
  const error = problems.find((p) => p.level === "error");
  if (error) throw new Error(error.message);
  if (typeof args.secretName === "string") {
    const nameProblem = secretNameProblem(args.secretName);
    if (nameProblem) throw new Error(nameProblem);
  }
  return { plan, warnings: problems.map((p) => p.message) };
}

/** Registers slot A, slot B (when issued) and the vault secret holding the active one, as children of `parent`. */
export function createLoginSecret(
  name: string,
  args: {
    application: azuread.Application;
    plan: RotationPlan;
    /** The day of the run: a retiring slot past its end date is left out (lib/rotation.ts liveSlots). */
    now: Date;
    displayName: string;
    keyVaultId: pulumi.Input<string>;
    secretName: pulumi.Input<string>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  },
  parent: pulumi.Resource,
): LoginSecret {
  const { plan } = args;
  const password = (slot: SlotPlan) =>
    new azuread.ApplicationPassword(
      `${name}-password-${slot.slot.toLowerCase()}`,
      {
        applicationId: args.application.id,
        // Slot A keeps the single password's display name: every input change would replace it.
        displayName: slot.slot === "A" ? args.displayName : `${args.displayName} (slot B)`,
        endDate: slot.endDate,
        rotateWhenChanged: { rotatedOn: slot.rotatedOn },
      },
      {
        parent,
        additionalSecretOutputs: ["value"],
        retainOnDelete: true,
        ...(slot.slot === "A" ? { aliases: [{ name: `${name}-password` }] } : {}),
      },
    );
  const passwords: Record<SlotName, azuread.ApplicationPassword | undefined> = { A: undefined, B: undefined };
  for (const slot of liveSlots(plan, args.now)) passwords[slot.slot] = password(slot);
  const active = passwords[plan.active.slot]!;

  const vault = pulumi.output(args.keyVaultId).apply((id) => parseVaultId(id));
  const vaultSecret = new keyvault.Secret(
    `${name}-secret`,
    {
      resourceGroupName: vault.resourceGroupName,
      vaultName: vault.vaultName,
      secretName: args.secretName,
      properties: {
        value: pulumi.secret(active.value),
        // Slot A's content type is the single secret's, so upgrading changes nothing in the vault.
        contentType: `Entra client secret: ${args.displayName}${plan.active.slot === "B" ? ", slot B" : ""}`,
        attributes: { enabled: true, expires: plan.active.expiresUnix },
      },
      tags: args.tags,
    },
    { parent, additionalSecretOutputs: ["properties"] },
  );
  return {
    passwords,
    vaultSecret,
    plan,
    expiresOn: plan.active.endDate,
    secretName: pulumi.output(args.secretName),
  };
}
