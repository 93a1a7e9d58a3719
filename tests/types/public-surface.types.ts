/**
 * Type tests of the public surface, as users import it (the package root, here `../../provider`).
 * Checked by `npx tsc -p tsconfig.json --noEmit` (part of `npm test`); never run. Each
 * `@ts-expect-error` must meet an error on the line after it, so what must not compile stays so.
 */
import * as pulumi from "@pulumi/pulumi";
import { Connection, Destination, secretsManager, Source } from "../../provider";
import type {
    ConnectionArgs,
    DestinationArgs,
    Schedule,
    SecretInput,
    SourceArgs,
    StreamArgs,
    SyncMode,
} from "../../provider";
// @ts-expect-error ActorArgs is internal: SourceArgs and DestinationArgs are the public names.
import type { ActorArgs } from "../../provider";

export type { ActorArgs };

/** What a program writes and reads; never called. */
export function program(
    tableName: pulumi.Output<string>,
    schemaName: pulumi.Output<string>,
    bucket: pulumi.Output<string>,
): void {
    // SourceArgs and DestinationArgs: usable as declared types, with undeclaredKeys.
    const password: SecretInput = secretsManager({
        secretId: pulumi.output("arn:aws:secretsmanager:..."),
        key: "password",
    });
    const sourceArgs: SourceArgs = {
        definition: "airbyte/source-mssql",
        configuration: { host: "db", port: 1433, jdbc_url_param: "encrypt=false" },
        secrets: { password },
        undeclaredKeys: ["jdbc_url_param", "replication_method.new_flag"],
    };
    const source = new Source("mssql", sourceArgs);
    const destinationArgs: DestinationArgs = {
        definition: "airbyte/destination-s3",
        configuration: { s3_bucket_name: bucket, format: { format_type: "Parquet" } },
        undeclaredKeys: pulumi.output(["format.new_flag"]),
    };
    const destination = new Destination("lake", destinationArgs);

    // Outputs into StreamArgs fields.
    const syncMode: pulumi.Output<SyncMode> = pulumi.output("incremental" as const);
    const stream: StreamArgs = {
        name: tableName,
        namespace: schemaName,
        syncMode,
        destinationSyncMode: pulumi.output("append_dedup" as const),
        cursorField: [schemaName, "updated_at"],
        primaryKey: [[tableName]],
        columns: pulumi.output(["id", "updated_at"]),
    };
    const args: ConnectionArgs = {
        sourceId: source.sourceId,
        destinationId: destination.destinationId,
        streams: [stream, "customers", pulumi.output({ name: tableName, syncMode: "full_refresh" as const })],
        schedule: { cron: "0 0 * * * ?", timeZone: "UTC" },
        status: "inactive",
    };
    const connection = new Connection("sync", args);

    // Typed outputs, used as such.
    const status: pulumi.Output<"active" | "inactive"> = connection.status;
    const paused: pulumi.Output<boolean> = status.apply((s) => s === "inactive");
    const schedule: pulumi.Output<Schedule> = connection.schedule;
    const described: pulumi.Output<string> = schedule.apply((s) =>
        s.type === "cron"
            ? `${s.cron} (${s.timeZone})`
            : s.type === "basic"
              ? `every ${s.units} ${s.timeUnit}`
              : "manual",
    );
    const ids: pulumi.Output<string>[] = [
        source.sourceId,
        source.workspaceId,
        source.definitionId,
        destination.destinationId,
        connection.connectionId,
        connection.workspaceId,
    ];
    const configuration: pulumi.Output<Record<string, unknown>> = source.configuration;
    const streamCount: pulumi.Output<number> = connection.streamCount;
    void [paused, described, ids, configuration, streamCount];
}

/** What must not compile; never called. */
export function mistakes(source: Source, destination: Destination): void {
    new Source("s", {
        definition: "airbyte/source-mssql",
        // @ts-expect-error an argument the resource does not have
        config: { host: "db" },
    });
    new Destination("d", {
        definition: "airbyte/destination-s3",
        // @ts-expect-error undeclaredKeys is a list of dotted paths
        undeclaredKeys: "format.new_flag",
    });
    const ends = { sourceId: source.sourceId, destinationId: destination.destinationId };
    new Connection("c1", {
        ...ends,
        // @ts-expect-error "paused" is not a status
        status: "paused",
    });
    new Connection("c2", {
        ...ends,
        // @ts-expect-error a cron schedule's expression is a string
        schedule: { cron: 5 },
    });
    new Connection("c3", {
        ...ends,
        // @ts-expect-error a misspelled sync mode
        streams: [{ name: "orders", syncMode: "incremantal" }],
    });
    const connection = new Connection("c4", ends);
    // @ts-expect-error the status output is "active" or "inactive" only
    connection.status.apply((s) => s === "paused");
    // @ts-expect-error a manual schedule has no cron expression
    connection.schedule.apply((s) => (s.type === "manual" ? s.cron : ""));
}
