import type { DiscoveredStream, LiveStream } from "../../provider/client/domain";
import {
    buildStreams,
    normalizeStreams,
    projectCatalog,
    selectedFieldCount,
    selectionsFromLive,
} from "../../provider/runtime/catalog";
import { UNKNOWN } from "../../provider/runtime/values";

function stream(name: string, extra: Partial<DiscoveredStream> = {}): DiscoveredStream {
    return {
        name,
        namespace: "dbo",
        columns: ["id", "updated_at", "amount"],
        supportedSyncModes: ["full_refresh", "incremental"],
        sourceDefinedCursor: false,
        sourceDefinedPrimaryKey: [["id"]],
        defaultCursorField: [],
        ...extra,
    };
}

const discovered: DiscoveredStream[] = [
    stream("orders"),
    stream("customers"),
    stream("v_sales", { supportedSyncModes: ["full_refresh"], sourceDefinedPrimaryKey: [] }),
    stream("events", { sourceDefinedCursor: true, defaultCursorField: ["_ab_cdc_lsn"] }),
    stream("orders", { namespace: "archive" }),
];

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

describe("buildStreams", () => {
    test("builds only the selected streams, taking keys and cursors from the source", () => {
        const { streams } = normalizeStreams([
            {
                name: "orders",
                namespace: "dbo",
                syncMode: "incremental",
                cursorField: "updated_at",
                destinationSyncMode: "append_dedup",
            },
            { name: "events", syncMode: "incremental" },
        ]) as { streams: any };
        const built = buildStreams(discovered, streams, {
            supportedDestinationSyncModes: ["append", "overwrite", "append_dedup"],
        });
        expect(built.problems).toEqual([]);
        expect(built.streams.map((s) => `${s.namespace}.${s.name}`)).toEqual(["dbo.events", "dbo.orders"]);
        expect(built.streams[1]).toEqual({
            name: "orders",
            namespace: "dbo",
            syncMode: "incremental",
            destinationSyncMode: "append_dedup",
            cursorField: ["updated_at"],
            primaryKey: [["id"]],
        });
        expect(built.streams[0]!.cursorField).toEqual(["_ab_cdc_lsn"]);
        expect(built.catalogDigest).toMatch(/^[0-9a-f]{64}$/);
    });

    test("the digest depends on the discovered streams, not on selection order", () => {
        const one = buildStreams(
            discovered,
            normalizeStreams(["customers", { name: "orders", namespace: "dbo" }]).streams as any,
        );
        const two = buildStreams(
            discovered,
            normalizeStreams([{ name: "orders", namespace: "dbo" }, "customers"]).streams as any,
        );
        expect(one.catalogDigest).toBe(two.catalogDigest);
        const changed = structuredClone(discovered);
        changed[1]!.columns.push("email");
        expect(
            buildStreams(changed, normalizeStreams(["customers", { name: "orders", namespace: "dbo" }]).streams as any)
                .catalogDigest,
        ).not.toBe(one.catalogDigest);
    });

    test("an unknown stream or column is marked, so that the caller can discover again without the cache", () => {
        const built = buildStreams(
            discovered,
            normalizeStreams([
                { name: "invoices", namespace: "dbo" },
                { name: "customers", columns: ["id", "vat_number"] },
            ]).streams as any,
        );
        expect(built.problems.map((p) => p.unknownName)).toEqual([true, true]);
        const mode = buildStreams(
            discovered,
            normalizeStreams([{ name: "v_sales", syncMode: "incremental" }]).streams as any,
        );
        expect(mode.problems.every((p) => !p.unknownName)).toBe(true);
    });

    test("incremental without a source cursor says what to set, naming a likely column", () => {
        // JDBC sources publish no cursor for non-CDC tables (bulk CDK JdbcAirbyteStreamFactory.createNonGlobal).
        const built = buildStreams(
            discovered,
            normalizeStreams([{ name: "customers", syncMode: "incremental" }]).streams as any,
            { rawStreams: [{ name: "customers", syncMode: "incremental" }] },
        );
        expect(built.problems).toEqual([
            {
                property: "streams[0].cursorField",
                reason: expect.stringMatching(
                    /needs a cursor, and the source defines none for it: set cursorField: "updated_at" .*columns: id, updated_at, amount/,
                ),
            },
        ]);
    });

    test("long catalogs are listed in part, with a count", () => {
        const many = Array.from({ length: 500 }, (_, i) => stream(`table_${String(i).padStart(3, "0")}`));
        const built = buildStreams(many, normalizeStreams([{ name: "tabel_007", namespace: "dbo" }]).streams as any);
        expect(built.problems[0]!.reason).toMatch(/did you mean "dbo.table_007"/);
        expect(built.problems[0]!.reason).toMatch(/… \(500 in all\)/);
        expect(built.problems[0]!.reason.length).toBeLessThan(800);
    });

    test("fields are counted as Airbyte counts them: selected columns, else every column", () => {
        const built = buildStreams(
            discovered,
            normalizeStreams([{ name: "orders", namespace: "dbo", columns: ["id", "amount"] }, "customers"])
                .streams as any,
        );
        expect(
            selectedFieldCount(built.streams.map((s, i) => ({ columns: s.columns, discovered: built.selected[i]! }))),
        ).toBe(2 + 3);
    });

    test.each([
        [[{ name: "ordres", namespace: "dbo" }], ".name", /no stream "dbo.ordres"; did you mean "dbo.orders"/],
        [[{ name: "orders" }], ".namespace", /several namespaces \(dbo, archive\)/],
        [
            [{ name: "v_sales", syncMode: "incremental", cursorField: "updated_at" }],
            ".syncMode",
            /does not support "incremental"; supported: full_refresh/,
        ],
        [
            [{ name: "customers", primaryKey: "amount" }],
            ".primaryKey",
            /defined by the source \(\[\["id"\]\]\), which cannot be overridden/,
        ],
        [[{ name: "events", cursorField: "updated_at" }], ".cursorField", /cursor defined by the source/],
        [[{ name: "customers", syncMode: "incremental" }], ".cursorField", /needs a cursor/],
        [[{ name: "customers", syncMode: "incremental", cursorField: "nope" }], ".cursorField", /no column "nope"/],
        [
            [{ name: "customers", destinationSyncMode: "overwrite_dedup" }],
            ".destinationSyncMode",
            /does not support "overwrite_dedup"; supported: append, overwrite/,
        ],
        [[{ name: "v_sales", destinationSyncMode: "append_dedup" }], ".destinationSyncMode", /does not support/],
        [[{ name: "customers", columns: ["amount"] }], ".columns", /must include the primary key/],
        [[{ name: "customers", columns: ["id", "shoe_size"] }], ".columns", /no column\(s\) "shoe_size"/],
    ])("%j is refused (%s)", (raw, suffix, reason) => {
        const { streams } = normalizeStreams(raw);
        const built = buildStreams(discovered, streams as any, {
            supportedDestinationSyncModes: ["append", "overwrite"],
            rawStreams: raw,
        });
        const problem = built.problems.find((p) => p.property.endsWith(suffix));
        expect(problem?.property).toMatch(/^streams\[0\]/);
        expect(problem?.reason).toMatch(reason);
    });
});

describe("selectionsFromLive", () => {
    const live: LiveStream[] = [
        {
            name: "orders",
            namespace: "dbo",
            syncMode: "incremental",
            destinationSyncMode: "append_dedup",
            cursorField: ["updated_at"],
            primaryKey: [["id"]],
            sourceDefinedPrimaryKey: true,
        },
        {
            name: "customers",
            namespace: "dbo",
            syncMode: "full_refresh",
            destinationSyncMode: "overwrite",
            cursorField: [],
            primaryKey: [["id"]],
            sourceDefinedPrimaryKey: true,
        },
    ];

    test("keeps only what the user managed, so server-filled fields never show as changes", () => {
        const previous = normalizeStreams([
            { name: "customers" },
            { name: "orders", namespace: "dbo", syncMode: "incremental", cursorField: "updated_at" },
        ]).streams as any;
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
        expect(selectionsFromLive([live[0]!], previous)).toEqual([{ name: "orders", syncMode: "incremental" }]);
    });
});

test("projectCatalog keeps the user's raw catalog shape", () => {
    const template = {
        streams: [
            {
                stream: { name: "orders", namespace: "dbo" },
                config: { syncMode: "full_refresh", destinationSyncMode: "overwrite", selected: true },
            },
        ],
    };
    const live = {
        streams: [
            {
                stream: { name: "orders", namespace: "dbo", jsonSchema: {} },
                config: {
                    syncMode: "full_refresh",
                    destinationSyncMode: "overwrite",
                    selected: true,
                    suggested: false,
                    mappers: [],
                },
            },
        ],
    };
    expect(projectCatalog(live, template)).toEqual(template);
});

describe("stream settings that are Outputs still unknown at preview", () => {
    test("are kept as they are, not judged against the allowed values", () => {
        const result = normalizeStreams([
            { name: "orders", syncMode: UNKNOWN, destinationSyncMode: UNKNOWN, columns: [UNKNOWN] },
        ]);
        expect(result.problems).toEqual([]);
        expect(result.streams).toEqual([
            expect.objectContaining({
                name: "orders",
                syncMode: UNKNOWN,
                destinationSyncMode: UNKNOWN,
                columns: [UNKNOWN],
            }),
        ]);
    });
});
