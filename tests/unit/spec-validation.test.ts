import type { JsonSchema as ConnectorSpecSchema } from "../../provider/client/domain";
import { secretFieldPaths, validateConfiguration } from "../../provider/runtime/spec-validation";
import { secretsForValidation } from "../../provider/runtime/secret-inputs";
import { deepMerge, UNKNOWN } from "../../provider/runtime/values";

const spec: ConnectorSpecSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    required: ["host", "port", "database", "username", "password"],
    properties: {
        host: { type: "string", title: "Host" },
        port: { type: "integer", minimum: 0, maximum: 65536 },
        database: { type: "string" },
        schemas: { type: "array", items: { type: "string" } },
        username: { type: "string" },
        password: { type: "string", airbyte_secret: true, order: 5 },
        ssl_method: {
            type: "object",
            oneOf: [
                { title: "Unencrypted", required: ["ssl_method"], properties: { ssl_method: { type: "string", const: "unencrypted" } } },
                {
                    title: "Encrypted (verify certificate)",
                    required: ["ssl_method", "hostNameInCertificate"],
                    properties: { ssl_method: { type: "string", const: "encrypted_verify_certificate" }, hostNameInCertificate: { type: "string" }, certificate: { type: "string", airbyte_secret: true } },
                },
            ],
        },
        replication_method: {
            type: "object",
            oneOf: [
                { required: ["method"], properties: { method: { type: "string", const: "STANDARD" } } },
                {
                    required: ["method"],
                    properties: {
                        method: { type: "string", const: "CDC" },
                        data_to_sync: { type: "string", enum: ["Existing and New", "New Changes Only"] },
                        initial_waiting_seconds: { type: "integer" },
                    },
                },
            ],
        },
    },
};

function validate(configuration: Record<string, unknown>, secrets: Record<string, unknown> = { password: "pw" }) {
    const { values, placeholderPaths } = secretsForValidation(secrets);
    return validateConfiguration({ schema: spec, configuration, secrets: values, placeholderPaths }, deepMerge(configuration, values));
}

const good = { host: "db", port: 1433, database: "sales", username: "sa", ssl_method: { ssl_method: "unencrypted" }, replication_method: { method: "CDC", data_to_sync: "Existing and New" } };

describe("validateConfiguration", () => {
    test("a valid configuration has no problems", () => {
        expect(validate(good)).toEqual([]);
    });

    test("wrong types, enums and missing keys are reported by property path", () => {
        const problems = validate({ ...good, port: "1433", database: undefined, replication_method: { method: "CDC", data_to_sync: "Everything" } });
        expect(problems).toEqual(
            expect.arrayContaining([
                { property: "configuration.port", reason: "must be of type integer" },
                { property: "configuration.database", reason: "is required by the connector spec" },
                { property: "configuration.replication_method.data_to_sync", reason: 'must be one of: "Existing and New", "New Changes Only"' },
            ]),
        );
        // The oneOf noise ("must match exactly one schema") is reduced to the chosen branch.
        expect(problems.some((p) => /oneOf|exactly one/.test(p.reason))).toBe(false);
    });

    test("a missing secret is reported under secrets", () => {
        expect(validate(good, {})).toEqual([{ property: "secrets.password", reason: "is required by the connector spec; provide it under secrets" }]);
    });

    test("an unmatched oneOf lists the connector's options", () => {
        const [problem] = validate({ ...good, ssl_method: { ssl_method: "encrypted" } });
        expect(problem.property).toBe("configuration.ssl_method");
        expect(problem.reason).toContain('{ ssl_method: "unencrypted" } | { ssl_method: "encrypted_verify_certificate" }');
    });

    test("problems inside the chosen branch are reported as themselves", () => {
        expect(validate({ ...good, ssl_method: { ssl_method: "encrypted_verify_certificate" } })).toEqual([
            { property: "configuration.ssl_method.hostNameInCertificate", reason: "is required by the connector spec" },
        ]);
    });

    test("values unknown at preview are not judged", () => {
        expect(validate({ ...good, host: UNKNOWN, port: UNKNOWN })).toEqual([]);
        expect(validate({ ...good, ssl_method: UNKNOWN })).toEqual([]);
    });

    test("Secrets Manager references count as present strings", () => {
        expect(validate(good, { password: { secretsManager: { secretId: "db" } } })).toEqual([]);
    });
});

describe("secretFieldPaths", () => {
    test("finds airbyte_secret fields, also inside oneOf branches", () => {
        expect(secretFieldPaths({ host: "db", password: "x", ssl_method: { ssl_method: "encrypted_verify_certificate", certificate: "-----BEGIN" } }, spec)).toEqual([
            ["password"],
            ["ssl_method", "certificate"],
        ]);
        expect(secretFieldPaths(good, spec)).toEqual([]);
    });
});
