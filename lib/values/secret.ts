/**
 * A secret value from stack config. It never prints its value: not in logs, errors, JSON or util.inspect.
 *
 * In a stack file a secret is `{ secure: <ciphertext> }` (what `pulumi config set --secret` writes). Inside
 * `pulumi up` the engine hands the program the decrypted value. Offline, the ciphertext cannot be decrypted
 * without the stack's secrets provider, so `value` is undefined and `ciphertext` says a secret was given.
 */
import { inspect } from "node:util";

export class SecretValue {
  readonly #value: string | undefined;
  /** The ciphertext from the stack file, when the value came from one and was not decrypted. */
  readonly ciphertext: string | undefined;

  constructor(value: string | undefined, ciphertext?: string) {
    this.#value = value;
    this.ciphertext = ciphertext;
  }

  /** True when the plaintext is at hand (inside the engine, or given by the emulator for offline runs). */
  get available(): boolean {
    return this.#value !== undefined;
  }

  /** The plaintext. Throws, naming the key, when only the ciphertext is known. */
  reveal(key = "this secret"): string {
    if (this.#value === undefined) {
      throw new Error(
        `${key} is encrypted in the stack file and cannot be decrypted offline; run inside \`pulumi up\` or supply it through the environment`,
      );
    }
    return this.#value;
  }

  toString(): string {
    return "[secret]";
  }

  toJSON(): string {
    return "[secret]";
  }

  [inspect.custom](): string {
    return "[secret]";
  }
}

export function isSecretValue(value: unknown): value is SecretValue {
  return value instanceof SecretValue;
}
