import type { AirbyteCatalog, AirbyteStream } from "../../provider/client/types";
import { buildSyncCatalog, normalizeStreams, projectCatalog, selectionsFromLive } from "../../provider/runtime/catalog";

function stream(name: string, extra: Partial<AirbyteStream> = {}): AirbyteStream {
    return {
        name,
        namespace: "dbo",
        jsonSchema: { type: "object", properties: { id: { type: "integer" }, updated_at: { type: "string" }, amount: { type: "number" } } },
        supportedSyncModes: ["full_refresh", "incremental"],
        sourceDefinedPrimaryKey: [["id"]],
        defaultCursorField: [],
        ...extra,
    };
}

const discovered: AirbyteCatalog = {
    streams: [
        { stream: stream("orders"), config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", selected: false } },
        { stream: stream("customers"), config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", selected: false } },
        { stream: stream("v_sales", { supportedSyncModes: ["full_refresh"], sourceDefinedPrimaryKey: [] }), config: { syncMode: "full_refresh", destinationSyncMode: "overwrite" } },
        { stream: stream("events", { sourceDefinedCursor: true, defaultCursorField: ["_ab_cdc_lsn"] }), config: { syncMode: "incremental", destinationSyncMode: "append_dedup" } },
        { stream: stream("orders", { namespace: "archive" }), config: { syncMode: "full_refresh", destinationSyncMode: "overwrite" } },
    ],
};

describe("normalizeStreams", () => {
    test("sorts by namespace and name and expands shorthands", () => {
        const { streams, problems } = normalizeStreams([
            { name: "orders", namespace: "dbo", cursorField: "updated_at", primaryKey: ["id", "line"] },
            "customers",
            { name: "events", namespace: "dbo", columns: ["b", "a", "a"] },
        ]);
        expect(problems).toEqual([]);
        expect(streams).toEqual([
            { name: "customers" },
            { name: "events", namespace: "dbo", columns: ["a", "b"] },
            { name: "orders", namespace: "dbo", cursorField: ["updated_at"], primaryKey: [["id"], ["line"]] },
        ]);
    });

    test("the same selection in any order normalizes identically", () => {
        const a = normalizeStreams([{ name: "a" }, { name: "b", namespace: "x" }, { name: "c" }]).streams;
        const b = normalizeStreams([{ name: "c" }, { name: "b", namespace: "x" }, { name: "a" }]).streams;
        expect(a).toEqual(b);
    });

    test.each([
        [[{ name: "orders", syncMode: "cdc" }], "streams[0].syncMode", /full_refresh, incremental/],
        [[{ name: "orders", destinationSyncMode: "upsert" }], "streams[0].destinationSyncMode", /append_dedup/],
        [[{ name: "" }], "streams[0].name", /required/],
        [[{ name: "orders", sync_mode: "incremental" }], "streams[0].sync_mode", /not a stream setting/],
        [[{ name: "orders" }, { name: "orders" }], "streams[1].name", /selected twice/],
        [[{ name: "orders", columns: [] }], "streams[0].columns", /non-empty/],
        [{ orders: {} }, "streams", /must be a list/],
    ])("%j is refused at %s", (raw, property, reason) => {
        const { problems } = normalizeStreams(raw);
        const problem = problems.find((p) => p.property === property);
        expect(problem?.reason).toMatch(reason);
    });
});

describe("buildSyncCatalog", () => {
    test("builds only the selected streams, taking keys and cursors from the source", () => {
        const { streams } = normalizeStreams([
            { name: "orders", namespace: "dbo", syncMode: "incremental", cursorField: "updated_at", destinationSyncMode: "append_dedup" },
            { name: "events", syncMode: "incremental" },
        ]) as { streams: any };
        const built = buildSyncCatalog(discovered, streams, { supportedDestinationSyncModes: ["append", "overwrite", "append_dedup"] });
        expect(built.problems).toEqual([]);
        expect(built.catalog.streams.map((s) => `${s.stream.namespace}.${s.stream.name}`)).toEqual(["dbo.events", "dbo.orders"]);
        const orders = built.catalog.streams[1].config;
        expect(orders).toMatchObject({ syncMode: "incremental", destinationSyncMode: "append_dedup", cursorField: ["updated_at"], primaryKey: [["id"]], selected: true });
        const events = built.catalog.streams[0].config;
        expect(events.cursorField).toEqual(["_ab_cdc_lsn"]);
        expect(built.catalogDigest).toMatch(/^[0-9a-f]{64}$/);
    });

    test("the digest depends on the discovered schemas, not on selection order", () => {
        const one = buildSyncCatalog(discovered, normalizeStreams(["customers", { name: "orders", namespace: "dbo" }]).streams as any);
        const two = buildSyncCatalog(discovered, normalizeStreams([{ name: "orders", namespace: "dbo" }, "customers"]).streams as any);
        expect(one.catalogDigest).toBe(two.catalogDigest);
        const changed = structuredClone(discovered);
        (changed.streams[1].stream.jsonSchema as any).properties.email = { type: "string" };
        expect(buildSyncCatalog(changed, normalizeStreams(["customers", { name: "orders", namespace: "dbo" }]).streams as any).catalogDigest).not.toBe(one.catalogDigest);
    });

    test.each([
        [[{ name: "ordres", namespace: "dbo" }], ".name", /no stream "dbo.ordres"; did you mean "dbo.orders"/],
        [[{ name: "orders" }], ".namespace", /several namespaces \(dbo, archive\)/],
        [[{ name: "v_sales", syncMode: "incremental", cursorField: "updated_at" }], ".syncMode", /does not support "incremental"; supported: full_refresh/],
        [[{ name: "customers", primaryKey: "amount" }], ".primaryKey", /defined by the source \(\[\["id"\]\]\), which cannot be overridden/],
        [[{ name: "events", cursorField: "updated_at" }], ".cursorField", /cursor defined by the source/],
        [[{ name: "customers", syncMode: "incremental" }], ".cursorField", /needs a cursor field/],
        [[{ name: "customers", syncMode: "incremental", cursorField: "nope" }], ".cursorField", /no column "nope"/],
        [[{ name: "customers", destinationSyncMode: "overwrite_dedup" }], ".destinationSyncMode", /does not support "overwrite_dedup"; supported: append, overwrite/],
        [[{ name: "v_sales", destinationSyncMode: "append_dedup" }], ".destinationSyncMode", /does not support/],
        [[{ name: "customers", columns: ["amount"] }], ".columns", /must include the primary key/],
        [[{ name: "customers", columns: ["id", "shoe_size"] }], ".columns", /no column\(s\) "shoe_size"/],
    ])("%j is refused (%s)", (raw, suffix, reason) => {
        const { streams } = normalizeStreams(raw);
        const built = buildSyncCatalog(discovered, streams as any, { supportedDestinationSyncModes: ["append", "overwrite"], rawStreams: raw as unknown[] });
        const problem = built.problems.find((p) => p.property.endsWith(suffix));
        expect(problem?.property).toMatch(/^streams\[0\]/);
        expect(problem?.reason).toMatch(reason);
    });
});

describe("selectionsFromLive", () => {
    const live: AirbyteCatalog = {
        streams: [
            {
                stream: stream("orders"),
                config: { syncMode: "incremental", destinationSyncMode: "append_dedup", cursorField: ["updated_at"], primaryKey: [["id"]], selected: true, suggested: false, mappers: [], generationId: 3 },
            },
            { stream: stream("customers"), config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", primaryKey: [["id"]], selected: true } },
        ],
    };

    test("keeps only what the user managed, so server-filled fields never show as changes", () => {
        const previous = normalizeStreams([{ name: "customers" }, { name: "orders", namespace: "dbo", syncMode: "incremental", cursorField: "updated_at" }]).streams as any;
        expect(selectionsFromLive(live, previous)).toEqual(previous);
    });

    test("a stream added in Airbyte's UI appears with its settings", () => {
        const previous = normalizeStreams(["orders"]).streams as any;
        // Sorted like normalized inputs: by namespace (none first), then name.
        expect(selectionsFromLive(live, previous)).toEqual([
            { name: "orders" },
            { name: "customers", namespace: "dbo", syncMode: "full_refresh", destinationSyncMode: "overwrite" },
        ]);
    });

    test("a changed sync mode is reported", () => {
        const previous = normalizeStreams([{ name: "orders", syncMode: "full_refresh" }]).streams as any;
        expect(selectionsFromLive({ streams: [live.streams[0]] }, previous)).toEqual([{ name: "orders", syncMode: "incremental" }]);
    });
});

test("projectCatalog keeps the user's raw catalog shape", () => {
    const template: AirbyteCatalog = { streams: [{ stream: { name: "orders", namespace: "dbo" }, config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", selected: true } }] };
    const live: AirbyteCatalog = { streams: [{ stream: stream("orders"), config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", selected: true, suggested: false, mappers: [] } }] };
    expect(projectCatalog(live, template)).toEqual(template);
});
