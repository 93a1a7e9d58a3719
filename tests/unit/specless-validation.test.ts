import {
    likelySecretPaths,
    looksLikeSecretKey,
    problemsFromServerValidation,
    speclessProblems,
} from "../../provider/runtime/specless-validation";

describe("names that say a field holds a secret", () => {
    test.each([
        "password",
        "tunnel_user_password",
        "client_secret",
        "secret_access_key",
        "api_key",
        "apikey",
        "access_token",
        "refresh_token",
        "access_key_id",
        "private_key",
        "ssh_key",
        "credentials_json",
        "service_account_info",
    ])("%s is refused under configuration without a spec", (key) => expect(looksLikeSecretKey(key)).toBe(true));
    test.each(["host", "port", "username", "token_uri", "ssl_method", "tunnel_method", "database", "s3_bucket_name"])(
        "%s is not",
        (key) => expect(looksLikeSecretKey(key)).toBe(false),
    );
    test("found at any depth, only where a string (or nothing yet) is given", () => {
        const configuration = {
            host: "h",
            password: "p",
            tunnel_method: { tunnel_method: "SSH_PASSWORD_AUTH", tunnel_user_password: "t" },
            credentials: [{ api_key: "k" }],
            client_secret: { nested: "x" },
        };
        expect(likelySecretPaths(configuration)).toEqual([
            ["password"],
            ["tunnel_method", "tunnel_user_password"],
            ["credentials", "0", "api_key"],
        ]);
    });
    test("the problem says why and where to move the field, and never echoes the value", () => {
        const [problem] = speclessProblems(
            { password: "Hunter2-Secret" },
            "the public API of https://api.airbyte.com serves no connector specs",
        );
        expect(problem).toEqual({
            property: "configuration.password",
            reason: expect.stringMatching(
                /looks like a secret.*serves no connector specs.*clear text in Pulumi state: move it to secrets\.password/,
            ),
        });
        expect(JSON.stringify(problem)).not.toContain("Hunter2");
    });
});

describe("Airbyte's own validation at apply, in the user's property names", () => {
    const message = (errors: string) =>
        `unprocessable-entity — json schema validation failed when comparing the data to the json schema. \nErrors: ${errors} \nSchema: \n{\n  "$schema": "x"\n}`;
    test("a wrong type, an enum, a oneOf, and array items", () => {
        expect(
            problemsFromServerValidation(
                message(
                    `$.port: string found, integer expected, $.format.compression_codec: does not have a value in the enumeration ["SNAPPY"], $.ssl_method: must be valid to one and only one schema, but 0 are valid, $.schemas[1]: integer found, string expected`,
                ),
            ),
        ).toEqual([
            {
                property: "configuration.port",
                reason: "string found, integer expected (Airbyte's validation at apply)",
            },
            {
                property: "configuration.format.compression_codec",
                reason: 'does not have a value in the enumeration ["SNAPPY"] (Airbyte\'s validation at apply)',
            },
            {
                property: "configuration.ssl_method",
                reason: "must be valid to one and only one schema, but 0 are valid (Airbyte's validation at apply)",
            },
            {
                property: "configuration.schemas.1",
                reason: "integer found, string expected (Airbyte's validation at apply)",
            },
        ]);
    });
    test("a missing property is named itself, under secrets when it is (or should be) kept there", () => {
        expect(
            problemsFromServerValidation(
                message(
                    `$: required property 'database' not found, $: required property 'password' not found, $.tunnel_method: required property 'ssh_key' not found`,
                ),
            ),
        ).toEqual([
            {
                property: "configuration.database",
                reason: "is required by the connector spec (Airbyte's validation at apply)",
            },
            {
                property: "secrets.password",
                reason: "is required by the connector spec (Airbyte's validation at apply)",
            },
            {
                property: "secrets.tunnel_method.ssh_key",
                reason: "is required by the connector spec (Airbyte's validation at apply)",
            },
        ]);
        expect(
            problemsFromServerValidation(
                message("$.api_secret_field: string found, integer expected"),
                new Set(["api_secret_field"]),
            )[0]!.property,
        ).toBe("secrets.api_secret_field");
    });
    test("the Config API's wording, on one line", () => {
        expect(
            problemsFromServerValidation(
                "The provided configuration does not fulfill the specification. Errors: $.port: string found, integer expected",
            ),
        ).toEqual([
            {
                property: "configuration.port",
                reason: "string found, integer expected (Airbyte's validation at apply)",
            },
        ]);
    });
    test("a 422 without validator lines gives nothing to translate; a long odd line ends (no backtracking blow-up)", () => {
        expect(problemsFromServerValidation("The body of the request was not understood")).toEqual([]);
        expect(problemsFromServerValidation(`Errors: $${".a".repeat(5000)} no colon here`)).toEqual([]);
    });
});
