/**
 * Source and Destination against the emulator over real HTTP, through the serialized →
 * require-from-string round trip of their providers.
 */
import { mssqlArgs, MSSQL_PASSWORD, s3Args, S3_SECRET_KEY, clean } from "../helpers/fixtures";
import {
    AirbyteTarget,
    needsAdmin,
    operationName,
    serverChecksConfigurations,
    startTarget,
} from "../helpers/airbyte-target";
import {
    CheckFailedError,
    destroy,
    failureOf,
    newProviderProcess,
    preview,
    refresh,
    RevivedProvider,
    reviveProvider,
    up,
} from "../helpers/providers";
import { UNKNOWN } from "../../provider/runtime/values";
import { captureProviderLog } from "../reliability/helpers";

let target: AirbyteTarget;
let sources: RevivedProvider;
let destinations: RevivedProvider;

beforeAll(async () => {
    target = await startTarget();
    sources = await reviveProvider("Source", target.config);
    destinations = await reviveProvider("Destination", target.config);
});
afterAll(() => target.close());

describe("Source", () => {
    test("create resolves definition and workspace, checks the connection, stores the real secret", async () => {
        const admin = needsAdmin(target);
        await admin.clearLog();
        const { step, state } = await up(sources, clean(mssqlArgs()));
        expect(step).toBe("create");
        expect(state.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(state.outputs).toMatchObject({
            sourceId: state.id,
            definitionId: "b5ea17b1-f170-46dc-bc31-cc744ca984c1",
            definitionName: expect.stringContaining("MSSQL"),
            name: "mssql",
            serverUrl: target.url,
        });
        expect(state.outputs.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
        const operations = (await admin.requests()).map((r) => r.operation);
        if (serverChecksConfigurations()) {
            // The connection check ran before the create.
            expect(operations.indexOf("scheduler/sources/check_connection")).toBeGreaterThanOrEqual(0);
            expect(operations.indexOf("scheduler/sources/check_connection")).toBeLessThan(
                operations.indexOf(operationName("source.create")),
            );
        } else {
            // Airbyte Cloud has no connection check: the create is all there is.
            expect(operations).not.toContain("scheduler/sources/check_connection");
            expect(operations).toContain(operationName("source.create"));
        }
        // Server side, the real password is stored; the provider never echoed it anywhere but `secrets`.
        expect((await admin.storedConfiguration("source", state.id))?.password).toBe(MSSQL_PASSWORD);
        const { secrets, ...rest } = state.outputs;
        expect(JSON.stringify(rest)).not.toContain(MSSQL_PASSWORD);
        // the engine stores it encrypted (marked secret by the program)
        expect(secrets).toEqual({ password: MSSQL_PASSWORD });
        await destroy(sources, state);
    });

    test("no-op: create, read, then the same inputs (keys shuffled) plan no change and make no API call", async () => {
        const admin = needsAdmin(target);
        const args = clean(mssqlArgs());
        const created = (await up(sources, args)).state;
        await newProviderProcess();
        const refreshed = (await refresh(sources, created))!;
        expect(refreshed.outputs.configuration).toEqual(args.configuration);
        await newProviderProcess();
        const shuffled = JSON.parse(
            JSON.stringify({
                secrets: args.secrets,
                name: args.name,
                configuration: Object.fromEntries(Object.entries(args.configuration).reverse()),
                definition: args.definition,
            }),
        );
        await admin.clearLog();
        const plan = await preview(sources, shuffled, refreshed);
        expect(plan.step).toBe("same");
        expect(await admin.requests()).toEqual([]);
        await destroy(sources, refreshed);
    });

    test("update changes one field in place and keeps the stored secret", async () => {
        const admin = needsAdmin(target);
        const created = (await up(sources, clean(mssqlArgs()))).state;
        const changed = clean(mssqlArgs({ configuration: { database: "sales_eu" } }));
        const plan = await preview(sources, changed, created);
        expect(plan.step).toBe("update");
        await admin.clearLog();
        const updated = (await up(sources, changed, created)).state;
        expect(updated.id).toBe(created.id);
        const operations = (await admin.requests()).map((r) => r.operation);
        expect(operations).toEqual(
            expect.arrayContaining([
                ...(serverChecksConfigurations() ? ["sources/check_connection_for_update"] : []),
                operationName("source.update"),
            ]),
        );
        if (!serverChecksConfigurations()) expect(operations).not.toContain("sources/check_connection_for_update");
        const stored = await admin.storedConfiguration("source", created.id);
        expect(stored).toMatchObject({ database: "sales_eu", password: MSSQL_PASSWORD });
        await destroy(sources, updated);
    });

    test("changing the connector or the workspace replaces; the definition given by id is the same connector", async () => {
        const created = (await up(sources, clean(mssqlArgs()))).state;
        expect(
            (await preview(sources, clean(mssqlArgs({ definition: "b5ea17b1-f170-46dc-bc31-cc744ca984c1" })), created))
                .step,
        ).toBe("same");
        expect(
            (await preview(sources, clean(mssqlArgs({ definition: "Microsoft SQL Server (MSSQL)" })), created)).step,
        ).not.toBe("replace");
        const pg = await preview(
            sources,
            clean({
                name: "mssql",
                definition: "airbyte/source-postgres",
                configuration: {
                    host: "pg",
                    port: 5432,
                    database: "d",
                    username: "u",
                    ssl_mode: { mode: "prefer" },
                    replication_method: { method: "Standard" },
                    tunnel_method: { tunnel_method: "NO_TUNNEL" },
                },
                secrets: { password: "x-pw-1234" },
            }),
            created,
        );
        expect(pg.step).toBe("replace");
        expect(pg.diff?.replaces).toEqual(["definition"]);
        await destroy(sources, created);
    });

    test("refresh detects drift on non-secret fields, and the next plan shows it as an update", async () => {
        const created = (await up(sources, clean(mssqlArgs()))).state;
        // Someone edits the source in Airbyte's UI (a full update, secrets sent back masked).
        const response = await target.api("sources/update", {
            sourceId: created.id,
            name: "mssql (edited)",
            connectionConfiguration: {
                ...(created.outputs.configuration as object),
                port: 1434,
                password: "**********",
            },
        });
        expect(response.status).toBe(200);
        await newProviderProcess();
        const refreshed = (await refresh(sources, created))!;
        expect(refreshed.outputs).toMatchObject({
            name: "mssql (edited)",
            configuration: expect.objectContaining({ port: 1434 }),
        });
        expect(refreshed.inputs).toMatchObject({
            name: "mssql (edited)",
            configuration: expect.objectContaining({ port: 1434 }),
        });
        expect((await preview(sources, clean(mssqlArgs()), refreshed)).step).toBe("update");
        await destroy(sources, refreshed);
    });

    test("a source deleted out of band is dropped by refresh, and delete is idempotent", async () => {
        const created = (await up(sources, clean(mssqlArgs()))).state;
        expect((await target.api("sources/delete", { sourceId: created.id })).status).toBe(204);
        await newProviderProcess();
        expect(await refresh(sources, created)).toBeUndefined();
        await expect(destroy(sources, created)).resolves.toBeUndefined();
    });

    test("a failing connection check is an error carrying the connector's message, and nothing is created", async () => {
        const admin = needsAdmin(target);
        await admin.clearLog();
        const args = clean(mssqlArgs({ configuration: { host: "db.invalid" } }));
        if (!serverChecksConfigurations()) {
            // Airbyte Cloud offers no check: the source is created, and the log said the check was skipped.
            const log = captureProviderLog();
            try {
                await newProviderProcess();
                const { state } = await up(sources, args);
                expect(log.lines.join("")).toMatch(
                    /offers no connection check: Airbyte's connection check before create and update is skipped; credentials are tested at the first sync/,
                );
                await destroy(sources, state);
            } finally {
                log.stop();
            }
            return;
        }
        await expect(up(sources, args)).rejects.toThrow(
            /connection check for source "mssql" failed: .*db\.invalid.*Nothing was created/,
        );
        expect((await admin.requests({ operation: "sources/create" })).length).toBe(0);
        const wrongPassword = clean(mssqlArgs({ secrets: { password: "wrong-password" } }));
        // failureOf throws if the up succeeds: the wrong password must stop it, without echoing it.
        const error = await failureOf(up(sources, wrongPassword));
        expect(String(error.message)).toMatch(/connection check for source "mssql" failed: .*Nothing was created/);
        expect(String(error.message)).not.toContain("wrong-password");
        expect((await admin.requests({ operation: "sources/create" })).length).toBe(0);
    });

    test("checkConnection: false skips the check", async () => {
        const admin = needsAdmin(target);
        await admin.clearLog();
        const { state } = await up(sources, clean(mssqlArgs({ checkConnection: false })));
        expect((await admin.requests({ operation: "scheduler/sources/check_connection" })).length).toBe(0);
        await destroy(sources, state);
    });

    test("adoptId takes over an existing source; the first plan after adoption shows only the intended change", async () => {
        const admin = needsAdmin(target);
        const existing = (
            await up(sources, clean(mssqlArgs({ name: "legacy-mssql", configuration: { database: "old" } })))
        ).state;
        await admin.clearLog();
        const adopted = (await up(sources, clean(mssqlArgs({ adoptId: existing.id })))).state;
        expect(adopted.id).toBe(existing.id);
        expect((await admin.requests({ operation: "sources/create" })).length).toBe(0);
        expect(await admin.storedConfiguration("source", existing.id)).toMatchObject({ database: "sales" });
        await newProviderProcess();
        const refreshed = (await refresh(sources, adopted))!;
        expect((await preview(sources, clean(mssqlArgs({ adoptId: existing.id })), refreshed)).step).toBe("same");
        expect(
            (
                await preview(
                    sources,
                    clean(mssqlArgs({ adoptId: existing.id, configuration: { database: "sales2" } })),
                    refreshed,
                )
            ).step,
        ).toBe("update");
        await destroy(sources, refreshed);
    });
});

test("unknown values at preview: unknown fields are not judged, known problems still are, and a diff with unknowns is a change", async () => {
    const args = clean(mssqlArgs()) as any;
    args.configuration.host = UNKNOWN; // e.g. an EC2 instance's address, not known until it exists
    await expect(preview(sources, args)).resolves.toMatchObject({ step: "create" });
    const bad = { ...args, configuration: { ...args.configuration, port: "1433" } };
    if (serverChecksConfigurations()) {
        const error = await failureOf(preview(sources, bad));
        expect(error).toBeInstanceOf(CheckFailedError);
        expect(error.failures).toEqual([{ property: "configuration.port", reason: "must be of type integer" }]);
    } else {
        // No spec to judge it by (Airbyte Cloud): Airbyte's validation at apply names it (bad-inputs.test.ts).
        await expect(preview(sources, bad)).resolves.toMatchObject({ step: "create" });
    }
    const created = (await up(sources, clean(mssqlArgs()))).state;
    expect((await preview(sources, args, created)).step).toBe("update");
    await destroy(sources, created);
});

describe("Destination", () => {
    test("lifecycle: create, no-op, update, drift, delete", async () => {
        const admin = needsAdmin(target);
        const created = (await up(destinations, clean(s3Args()))).state;
        expect(created.outputs).toMatchObject({
            destinationId: created.id,
            definitionId: "4816b78f-1489-44c1-9060-4b19d5fa9362",
        });
        expect(await admin.storedConfiguration("destination", created.id)).toMatchObject({
            secret_access_key: S3_SECRET_KEY,
        });
        await newProviderProcess();
        const refreshed = (await refresh(destinations, created))!;
        expect((await preview(destinations, clean(s3Args()), refreshed)).step).toBe("same");
        const changed = clean(
            s3Args({ configuration: { format: { format_type: "Parquet", compression_codec: "GZIP" } } }),
        );
        const updated = (await up(destinations, changed, refreshed)).state;
        expect(await admin.storedConfiguration("destination", created.id)).toMatchObject({
            format: { compression_codec: "GZIP" },
            secret_access_key: S3_SECRET_KEY,
        });
        await destroy(destinations, updated);
        await newProviderProcess();
        expect(await refresh(destinations, updated)).toBeUndefined();
    });
});
