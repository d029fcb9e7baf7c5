/**
 * Management locks, the shape platform teams expect on what the public URL hangs on (the public IP, the gateway,
 * the vault). Not a component: the lock is a child of the component that owns the locked resource.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";

/** A CanNotDelete lock on one resource: it keeps working and can be changed, but not deleted until the lock goes. */
export function lockResource(
  name: string,
  scope: pulumi.Input<string>,
  what: string,
  parent: pulumi.Resource,
): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    name,
    {
      scope,
      lockName: `${what}-cannot-delete`,
      level: "CanNotDelete",
      notes: "Vantagepoint Connect: remove with `locks: false` and pulumi up before pulumi destroy",
    },
    { parent },
  );
}
