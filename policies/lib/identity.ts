// Email and Vantagepoint user-ID rules (Users form rules in the Connect prerequisites reference).

/** Whether `email` is a plausible mailbox address Connect can sync. */
export function isValidEmail(email: unknown): boolean {
  if (typeof email !== "string" || email.length > 254) return false;
  const m = /^([^\s@]+)@([^\s@]+)$/.exec(email);
  if (!m) return false;
  const [, local, domain] = m;
  if (local.length > 64 || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  return labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** Returns why `userId` breaks the Vantagepoint Users form rules, or undefined when it is valid. */
export function userIdProblem(userId: unknown): string | undefined {
  if (typeof userId !== "string" || userId.trim() === "") return "is empty";
  const at = userId.split("@").length - 1;
  if (at === 0) return userId.length > 120 ? "is longer than 120 characters" : undefined;
  if (at > 1) return "has more than one '@'";
  const [local, domain] = userId.split("@");
  if (userId.length > 113) return "is longer than 113 characters (email-style user IDs)";
  if (local.length === 0 || local.length > 64) return "must have 1 to 64 characters before '@'";
  if (domain.length === 0 || domain.length > 48) return "must have 1 to 48 characters after '@'";
  if (local.endsWith(".")) return "must not have '.' right before '@'";
  return undefined;
}
