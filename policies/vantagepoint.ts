// Policies on the Vantagepoint side, read from the dynamic resources (type pulumi-nodejs:dynamic:Resource,
// told apart by the input `vpconnectResource`). Inputs are always checked; the outputs `people` and
// `connectAdministration` exist only after a real run against Vantagepoint (pulumi up, or vpconnect check
// against the emulator). When they are missing or unknown the policy says so through notApplicable
// instead of passing silently, and when the resource itself is missing it is a violation.
// Each area is its own module (connectAdmin: P3 P4, roster: P5, apiClient: P6; helpers in lib/vantagepointResources);
// this module keeps the Vantagepoint policies' list and re-exports each policy from its old place.
import { connectApiClientProtected } from "./apiClient";
import { connectAdminLinked, connectAdminRole } from "./connectAdmin";
import { connectUsersLinked } from "./roster";

export { connectAdminRole, connectAdminLinked, connectUsersLinked, connectApiClientProtected };

/** The Vantagepoint policies. */
export const vantagepointPolicies = [
  connectAdminRole,
  connectAdminLinked,
  connectUsersLinked,
  connectApiClientProtected,
];
