import { clearRegisteredSecrets, redact, registerSecret } from "../../provider/redact";
import { errorFromResponse } from "../../provider/client/errors";

afterEach(() => clearRegisteredSecrets());

test("registered secrets are removed from any text, JSON-escaped forms included", () => {
    registerSecret('s3cr"et-pw');
    expect(redact('login failed for password s3cr"et-pw')).toBe("login failed for password [redacted]");
    expect(redact(JSON.stringify({ password: 's3cr"et-pw' }))).not.toContain("s3cr");
});

test("credential headers and fields are redacted whatever their value", () => {
    expect(redact("Authorization: Bearer eyJhbGciOi.abc.def")).toBe("Authorization: Bearer [redacted]");
    expect(redact('{"client_secret":"zzz","access_token":"yyy"}')).toBe(
        '{"client_secret":"[redacted]","access_token":"[redacted]"}',
    );
});

test("very short values are not registered (they would blank ordinary words)", () => {
    registerSecret("a");
    expect(redact("a cat")).toBe("a cat");
});

test("error messages are redacted and decided by status, not body", () => {
    registerSecret("hunter22");
    const e = errorFromResponse(
        422,
        { message: "password hunter22 is too short", errorId: "e-1" },
        { operation: "sources/create", resource: 'source "db"' },
    );
    expect(e.kind).toBe("validation");
    expect(e.message).toBe(
        'Airbyte sources/create for source "db" failed: HTTP 422: password [redacted] is too short (Airbyte errorId e-1)',
    );
    expect(errorFromResponse(404, { errorId: "x" }, { operation: "sources/get" }).kind).toBe("not_found");
    expect(errorFromResponse(404, "<html>nginx</html>", { operation: "sources/get" }).kind).toBe("not_found");
    expect(errorFromResponse(503, undefined, { operation: "sources/get" }).kind).toBe("server");
});
