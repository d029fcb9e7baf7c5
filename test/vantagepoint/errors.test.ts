import assert from "node:assert/strict";
import { parseErrorBody, redactSecrets, VantagepointError } from "../../lib/vantagepoint";

describe("redactSecrets", () => {
  it("removes known secrets in plain, URL-encoded and JSON-escaped spellings", () => {
    const secret = 'p@ss w"rd&1';
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${JSON.stringify(secret).slice(1, -1)} d`;
    const out = redactSecrets(text, [secret]);
    assert.ok(!out.includes(secret));
    assert.ok(!out.includes(encodeURIComponent(secret)));
    assert.match(out, /^a \[REDACTED\] b \[REDACTED\] c \[REDACTED\] d$/);
  });

  it("removes values after password/secret/token words even when unknown", () => {
    const out = redactSecrets(
      'password=hunter2&client_secret=abc {"Password":"xyz","access_token":"tok"} Bearer eyJabc.def and password: swordfish',
    );
    for (const s of ["hunter2", "abc&", '"xyz"', '"tok"', "eyJabc.def", "swordfish"])
      assert.ok(!out.includes(s), `${s} in ${out}`);
  });

  it("leaves prose after the word secret alone, and still removes a short value with a digit", () => {
    const advice = "Do not generate a new secret: that breaks every integration using the old one.";
    assert.equal(redactSecrets(advice), advice);
    assert.equal(redactSecrets("token: ab12"), "token: [REDACTED]");
    assert.equal(redactSecrets("password: letmein!"), "password: [REDACTED]");
  });

  it("leaves ordinary text alone", () => {
    assert.equal(
      redactSecrets("Employee 00123 was not found.", ["unrelated-secret"]),
      "Employee 00123 was not found.",
    );
  });
});

describe("parseErrorBody", () => {
  it("reads {message, detail}", () => {
    assert.equal(
      parseErrorBody('{"message":"The request is invalid.","detail":"EMail is too long"}'),
      "The request is invalid.: EMail is too long",
    );
  });
  it("reads OAuth errors", () => {
    assert.equal(
      parseErrorBody(
        '{"error":"invalid_grant","error_description":"The user name or password is incorrect."}',
      ),
      "invalid_grant: The user name or password is incorrect.",
    );
  });
  it("reads HTML pages as text", () => {
    const out = parseErrorBody(
      "<html><head><title>502 - Bad Gateway</title></head><body><h1>Server Error</h1><p>Proxy &amp; gateway</p></body></html>",
      "text/html",
    );
    assert.match(out, /502 - Bad Gateway/);
    assert.match(out, /Proxy & gateway/);
    assert.ok(!out.includes("<"));
  });
  it("names empty bodies", () => {
    assert.equal(parseErrorBody(""), "(empty reply body)");
  });
  it("keeps plain text", () => {
    assert.equal(parseErrorBody("Service  Unavailable\n"), "Service Unavailable");
  });
});

describe("VantagepointError", () => {
  it("carries method, path, status and the server's words without secrets", () => {
    const e = new VantagepointError({
      method: "POST",
      path: "/token",
      status: 400,
      kind: "http",
      serverMessage: "bad password s3cret!",
      knownSecrets: ["s3cret!"],
    });
    assert.equal(e.method, "POST");
    assert.equal(e.status, 400);
    assert.match(e.message, /^Vantagepoint POST \/token failed with 400: bad password \[REDACTED\]/);
    assert.ok(!e.message.includes("s3cret!"));
  });
});
