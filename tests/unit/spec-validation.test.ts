import type { JsonSchema as ConnectorSpecSchema } from "../../provider/client/domain";
import { secretFieldPaths, validateConfiguration } from "../../provider/runtime/spec-validation";
import { closeKeyNames } from "../../provider/runtime/undeclared-keys";
import { parseActorInputs } from "../../provider/runtime/actor-inputs";
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
                {
                    title: "Unencrypted",
                    required: ["ssl_method"],
                    properties: { ssl_method: { type: "string", const: "unencrypted" } },
                },
                {
                    title: "Encrypted (verify certificate)",
                    required: ["ssl_method", "hostNameInCertificate"],
                    properties: {
                        ssl_method: { type: "string", const: "encrypted_verify_certificate" },
                        hostNameInCertificate: { type: "string" },
                        certificate: { type: "string", airbyte_secret: true },
                    },
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
    return validateConfiguration(
        { schema: spec, configuration, secrets: values, placeholderPaths },
        deepMerge(configuration, values),
    );
}

const good = {
    host: "db",
    port: 1433,
    database: "sales",
    username: "sa",
    ssl_method: { ssl_method: "unencrypted" },
    replication_method: { method: "CDC", data_to_sync: "Existing and New" },
};

describe("validateConfiguration", () => {
    test("a valid configuration has no problems", () => {
        expect(validate(good)).toEqual([]);
    });

    test("wrong types, enums and missing keys are reported by property path", () => {
        const problems = validate({
            ...good,
            port: "1433",
            database: undefined,
            replication_method: { method: "CDC", data_to_sync: "Everything" },
        });
        expect(problems).toEqual(
            expect.arrayContaining([
                { property: "configuration.port", reason: "must be of type integer" },
                { property: "configuration.database", reason: "is required by the connector spec" },
                {
                    property: "configuration.replication_method.data_to_sync",
                    reason: 'must be one of: "Existing and New", "New Changes Only"',
                },
            ]),
        );
        // The oneOf noise ("must match exactly one schema") is reduced to the chosen branch.
        expect(problems.some((p) => /oneOf|exactly one/.test(p.reason))).toBe(false);
    });

    test("a missing secret is reported under secrets", () => {
        expect(validate(good, {})).toEqual([
            { property: "secrets.password", reason: "is required by the connector spec; provide it under secrets" },
        ]);
    });

    test("an unmatched oneOf lists the connector's options", () => {
        const [problem] = validate({ ...good, ssl_method: { ssl_method: "encrypted" } });
        expect(problem?.property).toBe("configuration.ssl_method");
        expect(problem?.reason).toContain(
            '{ ssl_method: "unencrypted" } | { ssl_method: "encrypted_verify_certificate" }',
        );
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

describe("validateConfiguration: keys the spec does not declare", () => {
    /** Like a real connector spec: additional properties allowed, at the top and in the oneOf branches. */
    const open: ConnectorSpecSchema = {
        ...spec,
        additionalProperties: true,
        properties: {
            ...spec.properties,
            jdbc_url_params: { type: "string" },
            tunnel_method: {
                type: "object",
                oneOf: [
                    {
                        additionalProperties: true,
                        required: ["tunnel_method"],
                        properties: { tunnel_method: { type: "string", const: "NO_TUNNEL" } },
                    },
                    {
                        additionalProperties: true,
                        required: ["tunnel_method", "tunnel_host", "tunnel_user"],
                        properties: {
                            tunnel_method: { type: "string", const: "SSH_PASSWORD_AUTH" },
                            tunnel_host: { type: "string" },
                            tunnel_port: { type: "integer" },
                            tunnel_user: { type: "string" },
                            tunnel_user_password: { type: "string", airbyte_secret: true },
                        },
                    },
                ],
            },
            // Maps: their keys are data, not declared names (also beside declared properties).
            labels: { type: "object", additionalProperties: { type: "string" } },
            tags: {
                type: "object",
                properties: { team: { type: "string" } },
                additionalProperties: { type: "string" },
            },
            // Free-form: no properties declared.
            extra: { type: "object" },
        },
    };

    function check(
        configuration: Record<string, unknown>,
        secrets: Record<string, unknown> = { password: "pw" },
        undeclaredKeys?: unknown,
    ) {
        const { values, placeholderPaths } = secretsForValidation(secrets);
        return validateConfiguration(
            {
                schema: open,
                configuration,
                secrets: values,
                placeholderPaths,
                undeclaredKeys: undeclaredKeys as string[] | undefined,
            },
            deepMerge(configuration, values),
        );
    }

    test("declared keys everywhere, maps and free-form objects: no problems", () => {
        expect(
            check({
                ...good,
                jdbc_url_params: "a=b",
                tunnel_method: { tunnel_method: "NO_TUNNEL" },
                labels: { team: "sales" },
                tags: { team: "sales", owner: "bi" },
                extra: { anything: 1 },
            }),
        ).toEqual([]);
    });

    test("a misspelled optional key is an error with a suggestion, although the spec allows additional properties", () => {
        expect(check({ ...good, jdbc_url_param: "a=b" })).toEqual([
            {
                property: "configuration.jdbc_url_param",
                reason: 'is not declared by the connector\'s spec; did you mean "jdbc_url_params"? To pass it anyway, list "jdbc_url_param" in undeclaredKeys',
            },
        ]);
    });

    test("a misspelled required key is named in the required problem (and not reported twice)", () => {
        const { host: _host, ...rest } = good;
        expect(check({ ...rest, hots: "db" })).toEqual([
            {
                property: "configuration.host",
                reason: 'is required by the connector spec (configuration.hots is not declared: a misspelling of "host"?)',
            },
        ]);
    });

    test("a misspelled secret key is named in the required problem under secrets", () => {
        expect(check(good, { pasword: "pw" })).toEqual([
            {
                property: "secrets.password",
                reason: 'is required by the connector spec; provide it under secrets (secrets.pasword is not declared: a misspelling of "password"?)',
            },
        ]);
    });

    test("an undeclared key under secrets is reported under secrets", () => {
        expect(check(good, { password: "pw", passwrd: "x" })).toEqual([
            {
                property: "secrets.passwrd",
                reason: expect.stringMatching(
                    /^is not declared by the connector's spec; did you mean "password"\? To pass it anyway, list "passwrd" in undeclaredKeys$/,
                ),
            },
        ]);
    });

    test("an undeclared key inside the chosen oneOf branch", () => {
        expect(
            check({
                ...good,
                tunnel_method: {
                    tunnel_method: "SSH_PASSWORD_AUTH",
                    tunnel_host: "bastion",
                    tunnel_user: "me",
                    tunnel_prot: 22,
                },
            }),
        ).toEqual([
            {
                property: "configuration.tunnel_method.tunnel_prot",
                // tunnel_host is given already: it comes last.
                reason: 'is not declared by the connector\'s spec; did you mean "tunnel_port" or "tunnel_host"? To pass it anyway, list "tunnel_method.tunnel_prot" in undeclaredKeys',
            },
        ]);
    });

    test("a key declared only by another branch of the oneOf says which", () => {
        expect(check({ ...good, tunnel_method: { tunnel_method: "NO_TUNNEL", tunnel_host: "bastion" } })).toEqual([
            {
                property: "configuration.tunnel_method.tunnel_host",
                reason: 'is not declared by the connector\'s spec for the option { tunnel_method: "NO_TUNNEL" } (it belongs to the option { tunnel_method: "SSH_PASSWORD_AUTH" }). To pass it anyway, list "tunnel_method.tunnel_host" in undeclaredKeys',
            },
        ]);
        expect(
            check({ ...good, replication_method: { method: "STANDARD", data_to_sync: "New Changes Only" } }),
        ).toEqual([
            expect.objectContaining({
                property: "configuration.replication_method.data_to_sync",
                reason: expect.stringContaining('it belongs to the option { method: "CDC" }'),
            }),
        ]);
    });

    test("with no branch chosen, keys of any branch are accepted; others still are not", () => {
        const problems = check({
            ...good,
            tunnel_method: { tunnel_method: "SSH_KEY_AUTH", tunnel_host: "bastion", tunnel_port: 22, tunnel_hots: "x" },
        });
        expect(problems.map((p) => p.property)).toEqual([
            "configuration.tunnel_method",
            "configuration.tunnel_method.tunnel_hots",
        ]);
        expect(problems[0]?.reason).toContain("must be one of the connector's options");
        expect(problems[1]?.reason).toContain('did you mean "tunnel_host" or "tunnel_port"?');
    });

    test("undeclaredKeys lets listed keys through, nested paths and whole subtrees included", () => {
        const configuration = {
            ...good,
            jdbc_url_param: "a=b",
            replication_method: { method: "CDC", new_flag: true },
            custom: { a: { b: 1 } },
        };
        expect(check(configuration).map((p) => p.property)).toEqual([
            "configuration.replication_method.new_flag",
            "configuration.jdbc_url_param",
            "configuration.custom",
        ]);
        expect(check(configuration, undefined, ["jdbc_url_param", "replication_method.new_flag", "custom"])).toEqual(
            [],
        );
        // Only the listed path: a sibling with the same name elsewhere is still judged.
        expect(
            check(configuration, undefined, ["new_flag", "jdbc_url_param", "custom"]).map((p) => p.property),
        ).toEqual(["configuration.replication_method.new_flag"]);
        // Secrets are shaped like the configuration: the same paths apply.
        expect(check(good, { password: "pw", api_secret: "x" }, ["api_secret"])).toEqual([]);
    });

    test("undeclaredKeys cannot pass a key the spec forbids with additionalProperties: false", () => {
        const closed: ConnectorSpecSchema = { ...open, additionalProperties: false };
        const configuration = { ...good, jdbc_url_param: "a=b" };
        const run = (undeclaredKeys?: string[]) =>
            validateConfiguration(
                {
                    schema: closed,
                    configuration,
                    secrets: { password: "pw" },
                    placeholderPaths: new Set(),
                    undeclaredKeys,
                },
                deepMerge(configuration, { password: "pw" }),
            );
        expect(run()).toEqual([
            {
                property: "configuration.jdbc_url_param",
                reason: expect.stringContaining('did you mean "jdbc_url_params"?'),
            },
        ]);
        expect(run(["jdbc_url_param"])).toEqual([
            {
                property: "configuration.jdbc_url_param",
                reason: expect.stringContaining("additionalProperties: false, so undeclaredKeys cannot pass it"),
            },
        ]);
    });

    test("values unknown at preview are not walked; known key names are judged", () => {
        // An unknown object: its keys are not known yet.
        expect(check({ ...good, tunnel_method: UNKNOWN })).toEqual([]);
        // An unknown discriminator: no branch chosen, keys of any branch accepted.
        expect(
            check({ ...good, tunnel_method: { tunnel_method: UNKNOWN, tunnel_host: "bastion", tunnel_user: "me" } }),
        ).toEqual([]);
        // An unknown value under a misspelled name: the name is known.
        expect(check({ ...good, jdbc_url_param: UNKNOWN }).map((p) => p.property)).toEqual([
            "configuration.jdbc_url_param",
        ]);
        // A Secrets Manager reference under a misspelled name, likewise.
        expect(
            check(good, {
                password: "pw",
                tunnel_method: { tunnel_user_pasword: { secretsManager: { secretId: "x" } } },
            }).map((p) => p.property),
        ).toContain("secrets.tunnel_method.tunnel_user_pasword");
    });

    test("undeclaredKeys unknown at preview (the list or an entry): undeclared keys are judged once it is known", () => {
        expect(check({ ...good, jdbc_url_param: "a=b" }, undefined, UNKNOWN)).toEqual([]);
        expect(check({ ...good, jdbc_url_param: "a=b" }, undefined, ["x", UNKNOWN])).toEqual([]);
    });

    test("at most 3 suggestions, closest first; none when nothing is close", () => {
        const many: ConnectorSpecSchema = {
            type: "object",
            properties: { port_a: {}, port_b: {}, port_c: {}, port_d: {}, pot: {}, database: {} },
        };
        const [problem] = validateConfiguration(
            { schema: many, configuration: { port: 1 }, secrets: {}, placeholderPaths: new Set() },
            { port: 1 },
        );
        expect(problem?.reason).toMatch(
            /^is not declared by the connector's spec; did you mean "pot" or "port_a" or "port_b"\? To pass it anyway/,
        );
        const [far] = validateConfiguration(
            { schema: many, configuration: { zzzzzz: 1 }, secrets: {}, placeholderPaths: new Set() },
            { zzzzzz: 1 },
        );
        expect(far?.reason).toBe(
            "is not declared by the connector's spec, and no declared field is close to it (the connector's documentation lists its fields). To pass it anyway, list \"zzzzzz\" in undeclaredKeys",
        );
    });

    test("closeKeyNames keeps only reasonably close names", () => {
        expect(closeKeyNames("jdbc_url_param", ["jdbc_url_params", "host", "database"])).toEqual(["jdbc_url_params"]);
        expect(closeKeyNames("hots", ["host", "port", "schemas"])).toEqual(["host"]);
        // Names given already beside the key come after the others.
        expect(closeKeyNames("tunnel_prot", ["tunnel_host", "tunnel_port", "tunnel_user"])).toEqual([
            "tunnel_port",
            "tunnel_host",
        ]);
        expect(closeKeyNames("tunnel_prot", ["tunnel_host", "tunnel_port", "tunnel_user"], ["tunnel_port"])).toEqual([
            "tunnel_host",
            "tunnel_port",
        ]);
        expect(closeKeyNames("replication", ["ssl_method", "tunnel_method"])).toEqual([]);
    });

    test("undeclared keys inside arrays of objects are found by index", () => {
        const withList: ConnectorSpecSchema = {
            type: "object",
            properties: { streams: { type: "array", items: { type: "object", properties: { name: {}, format: {} } } } },
        };
        const configuration = { streams: [{ name: "a" }, { name: "b", fromat: "csv" }] };
        expect(
            validateConfiguration(
                { schema: withList, configuration, secrets: {}, placeholderPaths: new Set() },
                configuration,
            ),
        ).toEqual([
            expect.objectContaining({
                property: "configuration.streams.1.fromat",
                reason: expect.stringContaining('did you mean "format"?'),
            }),
        ]);
    });
});

describe("the undeclaredKeys input", () => {
    const parse = (undeclaredKeys: unknown) =>
        parseActorInputs(
            { name: "s", definition: "airbyte/source-mssql", configuration: {}, undeclaredKeys },
            "source",
        );

    test("a list of dotted paths (entries unknown at preview too) is accepted and kept", () => {
        expect(parse(["jdbc_url_param", "replication_method.new_flag", UNKNOWN])).toEqual({
            inputs: expect.objectContaining({
                undeclaredKeys: ["jdbc_url_param", "replication_method.new_flag", UNKNOWN],
            }),
            problems: [],
        });
        expect(parse(UNKNOWN).problems).toEqual([]);
        expect(parse(undefined).inputs).not.toHaveProperty("undeclaredKeys");
    });

    test("anything else is a problem naming undeclaredKeys", () => {
        expect(parse("jdbc_url_param").problems).toEqual([
            { property: "undeclaredKeys", reason: expect.stringContaining("must be a list of dotted paths") },
        ]);
        expect(parse(["ok", "", 3, "a..b"]).problems.map((p) => p.property)).toEqual([
            "undeclaredKeys[1]",
            "undeclaredKeys[2]",
            "undeclaredKeys[3]",
        ]);
    });
});

describe("secretFieldPaths", () => {
    test("finds airbyte_secret fields, also inside oneOf branches", () => {
        expect(
            secretFieldPaths(
                {
                    host: "db",
                    password: "x",
                    ssl_method: { ssl_method: "encrypted_verify_certificate", certificate: "-----BEGIN" },
                },
                spec,
            ),
        ).toEqual([["password"], ["ssl_method", "certificate"]]);
        expect(secretFieldPaths(good, spec)).toEqual([]);
    });
});
