// Client settings read from the environment (issue 19): a malformed value is refused naming the variable, never
// silently replaced by the default.
import assert from "node:assert/strict";
import {
  clientOptionsFromEnv,
  EnvironmentError,
  environmentProblems,
} from "../../lib/vantagepoint/connection";

describe("client settings from the environment", () => {
  it("reads whole numbers, and treats unset or empty as the default", () => {
    assert.deepEqual(
      clientOptionsFromEnv({ VPCONNECT_HTTP_TIMEOUT_MS: "30000", VPCONNECT_MAX_RETRIES: "0" }),
      {
        timeoutMs: 30000,
        maxRetries: 0,
      },
    );
    assert.deepEqual(clientOptionsFromEnv({ VPCONNECT_HTTP_TIMEOUT_MS: "" }), {});
  });

  it("refuses a unit, a fraction, a negative or zero timeout, naming each variable", () => {
    const env = {
      VPCONNECT_HTTP_TIMEOUT_MS: "30s",
      VPCONNECT_MAX_RETRIES: "-1",
      VPCONNECT_WRITE_CONCURRENCY: "0",
      VPCONNECT_RETRY_BASE_MS: "2.5",
    };
    assert.deepEqual(environmentProblems(env), [
      'VPCONNECT_HTTP_TIMEOUT_MS="30s" is not a whole number of milliseconds (at least 1); set it to a number such as 30000 (30 seconds), or unset it for the default',
      'VPCONNECT_RETRY_BASE_MS="2.5" is not a whole number of milliseconds; set it to a number such as 500, or unset it for the default',
      'VPCONNECT_MAX_RETRIES="-1" is not a whole number of retries; set it to a number such as 3, or unset it for the default',
      'VPCONNECT_WRITE_CONCURRENCY="0" is not a whole number of parallel writes (at least 1); set it to a number such as 4, or unset it for the default',
    ]);
    assert.throws(
      () => clientOptionsFromEnv({ VPCONNECT_HTTP_TIMEOUT_MS: "30s" }),
      (e: Error) => e instanceof EnvironmentError && /^VPCONNECT_HTTP_TIMEOUT_MS="30s"/.test(e.message),
    );
  });
});
