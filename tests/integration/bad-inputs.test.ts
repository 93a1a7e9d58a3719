/**
 * Bad input table: each case is refused with a message naming the property (at `check`, i.e.
 * at preview, wherever the inputs are known), and nothing is created or changed in Airbyte.
 */
import { AirbyteTarget, needsAdmin, serverChecksConfigurations, startTarget } from "../helpers/airbyte-target";
import { UNKNOWN_ID } from "../emulator/helpers";
import { clean, mssqlArgs, s3Args } from "../helpers/fixtures";
import {
    appliedProperty,
    CheckFailedError,
    destroy,
    failureOf,
    ResourceState,
    RevivedProvider,
    reviveProvider,
    up,
} from "../helpers/providers";

let target: AirbyteTarget;
let providers: Record<"Source" | "Destination" | "Connection", RevivedProvider>;
let source: ResourceState;
let deletedSource: ResourceState;
let destination: ResourceState;

beforeAll(async () => {
    target = await startTarget();
    providers = {
        Source: await reviveProvider("Source", target.config),
        Destination: await reviveProvider("Destination", target.config),
        Connection: await reviveProvider("Connection", target.config),
    };
    source = (await up(providers.Source, clean(mssqlArgs()))).state;
    deletedSource = (await up(providers.Source, clean(mssqlArgs({ name: "gone" })))).state;
    await destroy(providers.Source, deletedSource);
    destination = (await up(providers.Destination, clean(s3Args()))).state;
    // As once a connection uses it (or the UI set one up): Airbyte has a discovered catalog, which
    // previews read where the API lets them (a preview never launches a discovery itself).
    await target.api("sources/discover_schema", { sourceId: source.id });
});
afterAll(() => target.close());

/** A well-formed id that names nothing. */
const NO_SUCH_ID = UNKNOWN_ID;
const conn = (extra: Record<string, unknown> = {}) =>
    clean({
        sourceId: source.id,
        destinationId: destination.id,
        streams: [{ name: "orders", namespace: "dbo", syncMode: "incremental", destinationSyncMode: "append" }],
        schedule: { cron: "0 0 * * * ?" },
        ...extra,
    });

/**
 * name, type, the property the error names, the inputs, the reason; and, for configuration
 * cases, the reason where the server lends no connector spec (Airbyte Cloud): a field named like
 * a secret is refused at preview, anything else is Airbyte's own validation at apply.
 */
type Case = [string, "Source" | "Destination" | "Connection", string, () => Record<string, unknown>, RegExp, RegExp?];

const cases: Case[] = [
    [
        "unknown definition, with close matches",
        "Source",
        "definition",
        () => mssqlArgs({ definition: "airbyte/source-mssq" }),
        /Close matches: airbyte\/source-mssql/,
    ],
    ["missing definition", "Source", "definition", () => mssqlArgs({ definition: undefined }), /is required/],
    [
        "missing required configuration key",
        "Source",
        "configuration.database",
        () => mssqlArgs({ configuration: { database: undefined } }),
        /required by the connector spec/,
        /is required by the connector spec \(Airbyte's validation at apply\)/,
    ],
    [
        "wrong type",
        "Source",
        "configuration.port",
        () => mssqlArgs({ configuration: { port: "1433" } }),
        /must be of type integer/,
        /string found, integer expected/,
    ],
    [
        "secret field in plain configuration",
        "Source",
        "configuration.password",
        () => mssqlArgs({ configuration: { password: "plain" }, secrets: { password: undefined } }),
        /secret field .* move it to secrets.password/,
        /looks like a secret.*move it to secrets.password/,
    ],
    [
        "bad enum inside the chosen oneOf branch",
        "Source",
        "configuration.replication_method.data_to_sync",
        () => mssqlArgs({ configuration: { replication_method: { method: "CDC", data_to_sync: "Everything" } } }),
        /must be one of/,
        /does not have a value in the enumeration/,
    ],
    [
        "unknown oneOf option",
        "Source",
        "configuration.ssl_method",
        () => mssqlArgs({ configuration: { ssl_method: { ssl_method: "tls13" } } }),
        /one of the connector's options/,
        /one and only one schema/,
    ],
    [
        "missing secret",
        "Source",
        "secrets.password",
        () => mssqlArgs({ secrets: { password: undefined } }),
        /required .* under secrets/,
        /is required by the connector spec/,
    ],
    ["unknown workspace", "Source", "workspaceId", () => mssqlArgs({ workspaceId: NO_SUCH_ID }), /has no workspace/],
    ["malformed workspace id", "Source", "workspaceId", () => mssqlArgs({ workspaceId: "ws-1" }), /must be a UUID/],
    ["malformed adoptId", "Source", "adoptId", () => mssqlArgs({ adoptId: "../sources/delete" }), /must be a UUID/],
    ["empty name", "Source", "name", () => mssqlArgs({ name: " " }), /non-empty/],
    ["unknown argument", "Source", "config", () => ({ ...mssqlArgs(), config: {} }), /not a source argument/],
    [
        "checkConnection not a boolean",
        "Source",
        "checkConnection",
        () => mssqlArgs({ checkConnection: "yes" }),
        /true or false/,
    ],
    [
        "secret value of the wrong shape",
        "Source",
        "secrets.password",
        () => mssqlArgs({ secrets: { password: [1, 2] } }),
        /string, a Pulumi secret, or a Secrets Manager reference/,
    ],
    [
        "bad Secrets Manager reference",
        "Source",
        "secrets.password.secretsManager.stage",
        () => mssqlArgs({ secrets: { password: { secretsManager: { secretId: "db", stage: "AWSCURRENT" } } } }),
        /unknown field/,
    ],
    [
        "a field both in configuration and secrets",
        "Destination",
        "configuration.s3_bucket_path",
        () => s3Args({ configuration: { s3_bucket_path: "x" }, secrets: { s3_bucket_path: "y" } }),
        /also given under secrets/,
    ],
    ["bad server url", "Source", "server", () => mssqlArgs({ server: { url: "ftp://airbyte" } }), /http or https/],
    [
        "unknown credentials profile",
        "Destination",
        "server",
        () => s3Args({ server: { url: "http://127.0.0.1:1", profile: "eu" } }),
        /profile "eu" is not defined/,
    ],
    [
        "destination enum",
        "Destination",
        "configuration.format.compression_codec",
        () => s3Args({ configuration: { format: { format_type: "Parquet", compression_codec: "RAR" } } }),
        /must be one of/,
        /does not have a value in the enumeration/,
    ],
    [
        "bad cron",
        "Connection",
        "schedule.cron",
        () => conn({ schedule: { cron: "0 0 12 * * *" } }),
        /not a valid Quartz cron expression/,
    ],
    [
        "Etc time zone",
        "Connection",
        "schedule.timeZone",
        () => conn({ schedule: { cron: "0 0 12 * * ?", timeZone: "Etc/UTC" } }),
        /Etc/,
    ],
    [
        "basic schedule with a bad unit",
        "Connection",
        "schedule.timeUnit",
        () => conn({ schedule: { units: 1, timeUnit: "fortnights" } }),
        /minutes, hours/,
    ],
    [
        "unknown stream",
        "Connection",
        "streams[0].name",
        () => conn({ streams: [{ name: "ordres", namespace: "dbo" }] }),
        /no stream "dbo.ordres"; did you mean "dbo.orders"/,
    ],
    [
        "unsupported sync mode",
        "Connection",
        "streams[0].syncMode",
        () => conn({ streams: [{ name: "v_daily_sales", namespace: "dbo", syncMode: "incremental" }] }),
        /does not support "incremental"; supported: full_refresh/,
    ],
    [
        "sync mode that does not exist",
        "Connection",
        "streams[0].syncMode",
        () => conn({ streams: [{ name: "orders", syncMode: "cdc" }] }),
        /full_refresh, incremental/,
    ],
    [
        "destination sync mode the destination lacks",
        "Connection",
        "streams[0].destinationSyncMode",
        () =>
            conn({
                streams: [
                    {
                        name: "orders",
                        namespace: "dbo",
                        syncMode: "incremental",
                        destinationSyncMode: "overwrite_dedup",
                    },
                ],
            }),
        /does not support "overwrite_dedup"/,
    ],
    [
        "overriding a source-defined primary key",
        "Connection",
        "streams[0].primaryKey",
        () => conn({ streams: [{ name: "orders", namespace: "dbo", primaryKey: "order_number" }] }),
        /defined by the source/,
    ],
    ["malformed source id", "Connection", "sourceId", () => conn({ sourceId: "mssql" }), /must be a UUID/],
    ["unknown destination", "Connection", "destinationId", () => conn({ destinationId: NO_SUCH_ID }), /no destination/],
    ["deleted source", "Connection", "sourceId", () => conn({ sourceId: deletedSource.id }), /has been deleted/],
    [
        "streams and syncCatalog together",
        "Connection",
        "syncCatalog",
        () => conn({ syncCatalog: { streams: [] } }),
        /either streams .* or a raw syncCatalog/,
    ],
    [
        "namespaceFormat without customformat",
        "Connection",
        "namespaceFormat",
        () => conn({ namespaceDefinition: "source", namespaceFormat: "raw_${SOURCE_NAMESPACE}" }),
        /customformat/,
    ],
    ["unknown status", "Connection", "status", () => conn({ status: "paused" }), /active, inactive/],
    [
        "unknown non-breaking change preference",
        "Connection",
        "nonBreakingChangesPreference",
        () => conn({ nonBreakingChangesPreference: "yolo" }),
        /propagate_fully/,
    ],
    [
        "stream selected twice",
        "Connection",
        "streams[1].name",
        () => conn({ streams: ["orders", "orders"] }),
        /selected twice/,
    ],
];

test("the table has at least 25 cases", () => expect(cases.length).toBeGreaterThanOrEqual(25));

// A rest parameter keeps the function's arity at 0: jest takes a 6th parameter of a 5-element case for `done`.
test.each(cases)("%s (%s) → %s", async (...[, type, property, args, withSpec, withoutSpec]: Case) => {
    const reason = !serverChecksConfigurations() && withoutSpec ? withoutSpec : withSpec;
    const admin = needsAdmin(target);
    const before = (await admin.counters()).created;
    const error = await failureOf(up(providers[type], clean(args())));
    expect(error).toBeDefined();
    if (error instanceof CheckFailedError) {
        const failure = error.failures.find((f) => f.property === property);
        expect(failure ? `${failure.property}: ${failure.reason}` : error.message).toMatch(
            new RegExp(`^${property.replace(/[.[\]]/g, "\\$&")}: .*${reason.source}`),
        );
    } else {
        expect(String(error.message)).toMatch(appliedProperty(property));
        expect(String(error.message)).toMatch(reason);
    }
    expect((await admin.counters()).created).toEqual(before);
});

test("an adoptId that does not exist fails at create, naming adoptId, and creates nothing", async () => {
    const admin = needsAdmin(target);
    const before = (await admin.counters()).created;
    await expect(up(providers.Source, clean(mssqlArgs({ adoptId: NO_SUCH_ID })))).rejects.toThrow(
        /adoptId: there is no source/,
    );
    expect((await admin.counters()).created).toEqual(before);
});
