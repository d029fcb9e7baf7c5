/**
 * The three dynamic providers as the reliability tests drive them (faults, ownership): the providers, their
 * input/output types, and the inputs for one connection.
 */
import { CONNECT_API_NAME } from "../../../emulator";
import type {
  ConnectAdminRoleInputs,
  ConnectApiClientInputs,
  ConnectRosterInputs,
  RosterOnDelete,
} from "../../../components/vantagepoint";
import type { RosterEntry, VantagepointConnection } from "../../../lib/vantagepoint";

export {
  connectAdminRoleProvider,
  connectApiClientProvider,
  connectRosterProvider,
} from "../../../components/vantagepoint";
export type {
  ConnectAdminRoleInputs,
  ConnectAdminRoleOutputs,
  ConnectApiClientInputs,
  ConnectApiClientOutputs,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../../components/vantagepoint";

/** ConnectRoster inputs for these people. */
export const rosterInputsFor = (
  connection: VantagepointConnection,
  entries: RosterEntry[],
  onDelete: RosterOnDelete = "detach",
): ConnectRosterInputs => ({
  vpconnectResource: "ConnectRoster",
  connection,
  entries,
  onDelete,
  // The strict emulator (like a site that does not number employees) needs a key rule to create people.
  newEmployees: { key: "sequence", prefix: "C" },
});

/** ConnectAdminRole inputs: the ADMIN role, Administrator type required. */
export const roleInputsFor = (connection: VantagepointConnection): ConnectAdminRoleInputs => ({
  vpconnectResource: "ConnectAdminRole",
  connection,
  role: "ADMIN",
  requireAdministratorType: true,
});

/** ConnectApiClient inputs for the Connect authorization, adopt-only unless `extra` says otherwise. */
export const apiInputsFor = (
  connection: VantagepointConnection,
  extra: Partial<ConnectApiClientInputs> = {},
): ConnectApiClientInputs => ({
  vpconnectResource: "ConnectApiClient",
  connection,
  name: CONNECT_API_NAME,
  allowCreate: false,
  ...extra,
});
