/**
 * Deterministic catalogs for `sources/discover_schema`.
 *
 * Database sources map every configured schema (MSSQL/Postgres `schemas`, MySQL `database`) to a
 * namespace of tables:
 *
 * - an ordinary schema name (dbo, public, sales, ...) yields a fixed sales-domain set of 28 tables
 *   and views, including composite primary keys (order_items, ...), a table without a primary
 *   key (audit_log) and two views;
 * - a schema named `generated_<N>` or `tables_<N>` yields N tables `table_000`, `table_001`, ...
 *   (zero-padded to at least three digits), for tests and benchmarks that need large catalogs;
 * - tables added with the admin control `POST /_emulator/database-tables` (a table created in the
 *   database after the last discover) join their namespace.
 *
 * Stream shapes follow the bulk CDK's `JdbcAirbyteStreamFactory` (airbytehq/airbyte
 * `airbyte-cdk/bulk/toolkits/extract-jdbc/src/main/kotlin/io/airbyte/cdk/discover/JdbcAirbyteStreamFactory.kt`,
 * `createNonGlobal` / `createGlobal` at 0ba35126, a single `create` at 87ccb68e; and
 * `MetaFieldDecorator.decorateAirbyteStream`, which sets `sourceDefinedCursor = true` as of fc3a1855):
 *
 * - without CDC: `sourceDefinedCursor: false` and no `defaultCursorField` (the user picks the
 *   cursor); `[full_refresh, incremental]` when the table has a cursor-capable column (here any
 *   column type but boolean), else `[full_refresh]`; the primary key, when there is one, as
 *   `sourceDefinedPrimaryKey`. Views are read like keyless tables;
 * - with CDC, a table with a primary key gets the connector's CDC meta columns,
 *   `sourceDefinedCursor: true` and the global cursor as `defaultCursorField`; keyless tables and
 *   views are `full_refresh` only.
 *
 * `defaultStreamConfiguration` reproduces CatalogConverter.generateDefaultConfiguration and
 * configureDefaultSyncModesForNewStream (airbyte-platform), so discover results carry the same
 * default `config` as on a real server.
 */
import {
    COLUMN_TYPES,
    type ColumnType,
    type DatabaseTable,
    type DestinationSyncMode,
    type DiscoveredStream,
    type JsonSchema,
    type SimulatedDatabase,
    type SyncMode,
} from "./connectors/types";

export type CdcFlavour = "mssql" | "postgres" | "mysql";

/** A table created in the database after the emulator started (admin `database-tables`). */
export interface AddedTable extends DatabaseTable {
    namespace: string;
}

/** A sales table in compact form: `name:type` pairs, comma separated. */
interface TableSpec {
    name: string;
    columns: string;
    primaryKey: string[];
    view?: boolean;
}

/** A realistic sales/ERP schema, discovered in this order. */
const SALES_TABLES: readonly TableSpec[] = [
    {
        name: "customers",
        columns:
            "id:integer,first_name:string,last_name:string,email:string,phone:string,company_name:string,created_at:timestamp,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "customer_addresses",
        columns:
            "id:integer,customer_id:integer,address_type:string,line1:string,line2:string,city:string,state:string,postal_code:string,country_code:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "products",
        columns:
            "id:integer,sku:string,name:string,description:string,category_id:integer,unit_price:decimal,currency:string,is_active:boolean,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "product_categories",
        columns: "id:integer,parent_id:integer,name:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "suppliers",
        columns: "id:integer,name:string,contact_email:string,country_code:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "product_suppliers",
        columns: "product_id:integer,supplier_id:integer,lead_time_days:integer,unit_cost:decimal,updated_at:timestamp",
        primaryKey: ["product_id", "supplier_id"],
    },
    {
        name: "warehouses",
        columns: "id:integer,code:string,name:string,city:string,country_code:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "inventory_levels",
        columns:
            "warehouse_id:integer,product_id:integer,quantity_on_hand:integer,quantity_reserved:integer,updated_at:timestamp",
        primaryKey: ["warehouse_id", "product_id"],
    },
    {
        name: "orders",
        columns:
            "id:integer,customer_id:integer,order_number:string,status:string,order_date:date,total_amount:decimal,currency:string,sales_rep_id:integer,store_id:integer,created_at:timestamp,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "order_items",
        columns:
            "order_id:integer,line_number:integer,product_id:integer,quantity:integer,unit_price:decimal,discount_amount:decimal,updated_at:timestamp",
        primaryKey: ["order_id", "line_number"],
    },
    {
        name: "payments",
        columns:
            "id:integer,order_id:integer,payment_method:string,amount:decimal,currency:string,paid_at:timestamp,status:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "shipments",
        columns:
            "id:integer,order_id:integer,warehouse_id:integer,carrier:string,tracking_number:string,shipped_at:timestamp,delivered_at:timestamp,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "returns",
        columns:
            "id:integer,order_id:integer,product_id:integer,quantity:integer,reason:string,returned_at:timestamp,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "invoices",
        columns:
            "id:integer,order_id:integer,invoice_number:string,issued_on:date,due_on:date,amount_due:decimal,status:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "invoice_lines",
        columns:
            "invoice_id:integer,line_number:integer,description:string,amount:decimal,tax_amount:decimal,updated_at:timestamp",
        primaryKey: ["invoice_id", "line_number"],
    },
    {
        name: "employees",
        columns:
            "id:integer,first_name:string,last_name:string,email:string,department_id:integer,manager_id:integer,hired_on:date,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "departments",
        columns: "id:integer,name:string,cost_center:string,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "sales_reps",
        columns: "id:integer,employee_id:integer,region_id:integer,quota_amount:decimal,updated_at:timestamp",
        primaryKey: ["id"],
    },
    { name: "regions", columns: "id:integer,name:string,country_code:string,updated_at:timestamp", primaryKey: ["id"] },
    {
        name: "stores",
        columns: "id:integer,name:string,region_id:integer,opened_on:date,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "promotions",
        columns:
            "id:integer,code:string,description:string,discount_percent:decimal,starts_at:timestamp,ends_at:timestamp,updated_at:timestamp",
        primaryKey: ["id"],
    },
    {
        name: "order_promotions",
        columns: "order_id:integer,promotion_id:integer,applied_amount:decimal,updated_at:timestamp",
        primaryKey: ["order_id", "promotion_id"],
    },
    {
        name: "price_history",
        columns: "product_id:integer,valid_from:timestamp,unit_price:decimal,currency:string",
        primaryKey: ["product_id", "valid_from"],
    },
    {
        name: "exchange_rates",
        columns: "currency_code:string,rate_date:date,rate_to_usd:decimal",
        primaryKey: ["currency_code", "rate_date"],
    },
    {
        name: "sales_targets",
        columns: "region_id:integer,fiscal_quarter:string,target_amount:decimal,updated_at:timestamp",
        primaryKey: ["region_id", "fiscal_quarter"],
    },
    // No primary key: incremental by a user-chosen cursor is possible, deduplication is not.
    {
        name: "audit_log",
        columns: "event_time:timestamp,actor:string,action:string,entity:string,entity_id:string,details:string",
        primaryKey: [],
    },
    // Views: no primary key.
    {
        name: "v_daily_sales",
        columns: "sales_date:date,store_id:integer,order_count:integer,revenue:decimal",
        primaryKey: [],
        view: true,
    },
    {
        name: "v_customer_lifetime_value",
        columns: "customer_id:integer,first_order_date:date,order_count:integer,lifetime_value:decimal",
        primaryKey: [],
        view: true,
    },
];

/** Number of tables in an ordinary (sales-domain) schema. */
export const SALES_TABLE_COUNT = SALES_TABLES.length;

const GENERATED_SCHEMA = /^(?:generated|tables)_(\d{1,5})$/i;
const MAX_GENERATED_TABLES = 20000;

/** How JDBC sources describe column types in `jsonSchema`. */
const JSON_TYPES: Readonly<Record<ColumnType, JsonSchema>> = {
    integer: { type: "number", airbyte_type: "integer" },
    decimal: { type: "number" },
    string: { type: "string" },
    timestamp: { type: "string", format: "date-time", airbyte_type: "timestamp_without_timezone" },
    date: { type: "string", format: "date" },
    boolean: { type: "boolean" },
};

/** CDC metadata columns and cursor per connector family. */
const CDC_COLUMNS: Readonly<Record<CdcFlavour, { columns: Record<string, JsonSchema>; cursor: string }>> = {
    mssql: {
        columns: {
            _ab_cdc_lsn: { type: "string" },
            _ab_cdc_event_serial_no: { type: "string" },
            _ab_cdc_cursor: { type: "number", airbyte_type: "integer" },
            _ab_cdc_updated_at: { type: "string" },
            _ab_cdc_deleted_at: { type: "string" },
        },
        cursor: "_ab_cdc_cursor",
    },
    postgres: {
        columns: {
            _ab_cdc_lsn: { type: "number" },
            _ab_cdc_updated_at: { type: "string" },
            _ab_cdc_deleted_at: { type: "string" },
        },
        cursor: "_ab_cdc_lsn",
    },
    mysql: {
        columns: {
            _ab_cdc_log_file: { type: "string" },
            _ab_cdc_log_pos: { type: "number" },
            _ab_cdc_cursor: { type: "number", airbyte_type: "integer" },
            _ab_cdc_updated_at: { type: "string" },
            _ab_cdc_deleted_at: { type: "string" },
        },
        cursor: "_ab_cdc_cursor",
    },
};

function parseColumns(columns: string): Record<string, ColumnType> {
    return Object.fromEntries(columns.split(",").map((pair) => pair.split(":") as [string, ColumnType]));
}

function objectSchema(columns: Readonly<Record<string, ColumnType>>, extra?: Record<string, JsonSchema>): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, type] of Object.entries(columns)) properties[name] = JSON_TYPES[type];
    return { type: "object", properties: extra ? { ...properties, ...extra } : properties };
}

function salesTable(spec: TableSpec): DatabaseTable {
    return { name: spec.name, columns: parseColumns(spec.columns), primaryKey: spec.primaryKey, view: spec.view };
}

/**
 * JdbcAirbyteStreamFactory: cursor-capable columns are those of a lossless, orderable type (not boolean, clob, json).
 */
function hasCursorCapableColumn(table: DatabaseTable): boolean {
    return Object.values(table.columns).some((type) => type !== "boolean");
}

function tableToStream(
    table: DatabaseTable,
    namespace: string | undefined,
    cdc: CdcFlavour | undefined,
): DiscoveredStream {
    // A view has no JDBC primary key.
    const primaryKey = table.view ? [] : table.primaryKey.map((column) => [column]);
    if (cdc) {
        if (primaryKey.length === 0) {
            // createGlobal without a valid primary key: full refresh only.
            return {
                name: table.name,
                namespace,
                jsonSchema: objectSchema(table.columns),
                supportedSyncModes: ["full_refresh"],
                sourceDefinedCursor: false,
                defaultCursorField: [],
                sourceDefinedPrimaryKey: [],
                isResumable: false,
            };
        }
        // createGlobal with a primary key + MetaFieldDecorator.decorateAirbyteStream: CDC meta
        // columns, the global cursor as default cursor, source-defined.
        const flavour = CDC_COLUMNS[cdc];
        return {
            name: table.name,
            namespace,
            jsonSchema: objectSchema(table.columns, flavour.columns),
            supportedSyncModes: ["full_refresh", "incremental"],
            sourceDefinedCursor: true,
            defaultCursorField: [flavour.cursor],
            sourceDefinedPrimaryKey: primaryKey,
            isResumable: true,
        };
    }
    // createNonGlobal: no default cursor; incremental needs a user-chosen cursor column.
    return {
        name: table.name,
        namespace,
        jsonSchema: objectSchema(table.columns),
        supportedSyncModes: hasCursorCapableColumn(table) ? ["full_refresh", "incremental"] : ["full_refresh"],
        sourceDefinedCursor: false,
        defaultCursorField: [],
        sourceDefinedPrimaryKey: primaryKey,
        isResumable: primaryKey.length > 0,
    };
}

function schemaTables(namespace: string): DatabaseTable[] {
    const generated = GENERATED_SCHEMA.exec(namespace);
    if (!generated) return SALES_TABLES.map(salesTable);
    const count = Math.min(Number(generated[1]), MAX_GENERATED_TABLES);
    const width = Math.max(3, String(Math.max(count - 1, 0)).length);
    const columns = parseColumns("id:integer,name:string,amount:decimal,created_at:timestamp,updated_at:timestamp");
    return Array.from({ length: count }, (_, i) => ({
        name: `table_${String(i).padStart(width, "0")}`,
        columns,
        primaryKey: ["id"],
    }));
}

/**
 * Streams of one database schema (namespace): its fixed tables, then tables added since (a same-named one replaces).
 */
function streamsForSchema(namespace: string, database: SimulatedDatabase, cdc?: CdcFlavour): DiscoveredStream[] {
    const tables = new Map(schemaTables(namespace).map((table) => [table.name, table]));
    for (const table of database.tablesAddedTo(namespace)) tables.set(table.name, table);
    return [...tables.values()].map((table) => tableToStream(table, namespace, cdc));
}

/** Streams of several schemas; duplicates in the list are ignored, like a SQL `IN (...)`. */
export function streamsForSchemas(
    namespaces: readonly string[],
    database: SimulatedDatabase,
    cdc?: CdcFlavour,
): DiscoveredStream[] {
    return [...new Set(namespaces)].flatMap((namespace) => streamsForSchema(namespace, database, cdc));
}

/** Columns of an added table when the request gives none. */
const DEFAULT_ADDED_COLUMNS: Readonly<Record<string, ColumnType>> = {
    id: "integer",
    name: "string",
    updated_at: "timestamp",
};

/** Validates an admin `database-tables` request; throws a plain Error naming the problem. */
export function parseAddedTable(input: unknown): AddedTable {
    if (typeof input !== "object" || input === null || Array.isArray(input))
        throw new Error("expected {namespace, name, columns?, primaryKey?}");
    const { namespace, name, columns, primaryKey } = input as Record<string, unknown>;
    if (typeof namespace !== "string" || namespace === "") throw new Error('"namespace" must be a non-empty string');
    if (typeof name !== "string" || name === "") throw new Error('"name" must be a non-empty string');
    const parsedColumns = columns === undefined ? DEFAULT_ADDED_COLUMNS : columns;
    if (
        typeof parsedColumns !== "object" ||
        parsedColumns === null ||
        Array.isArray(parsedColumns) ||
        Object.keys(parsedColumns).length === 0
    ) {
        throw new Error('"columns" must be a non-empty object of column name → type');
    }
    for (const [column, type] of Object.entries(parsedColumns)) {
        if (!COLUMN_TYPES.includes(type as ColumnType))
            throw new Error(`column "${column}": type must be one of ${COLUMN_TYPES.join(", ")}`);
    }
    const key = primaryKey === undefined ? [] : primaryKey;
    if (
        !Array.isArray(key) ||
        !key.every((column) => typeof column === "string" && Object.hasOwn(parsedColumns, column))
    ) {
        throw new Error('"primaryKey" must be an array of column names of the table');
    }
    return { namespace, name, columns: parsedColumns as Record<string, ColumnType>, primaryKey: key as string[] };
}

export interface DefaultStreamConfiguration {
    syncMode: SyncMode;
    destinationSyncMode: DestinationSyncMode;
    cursorField: string[];
    primaryKey: string[][];
    aliasName: string;
    selected: boolean;
    suggested: boolean;
}

/** `Names.toAlphanumericAndUnderscore`: what the server uses for `aliasName`. */
export function toAlphanumericAndUnderscore(name: string): string {
    return name
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/\s+/g, "_")
        .replace(/[^A-Za-z0-9_]/g, "_");
}

/** CatalogConverter.generateDefaultConfiguration + configureDefaultSyncModesForNewStream. */
export function defaultStreamConfiguration(stream: DiscoveredStream, totalStreams: number): DefaultStreamConfiguration {
    const hasCursor = stream.sourceDefinedCursor;
    const hasKey = stream.sourceDefinedPrimaryKey.length > 0;
    const supportsFullRefresh = stream.supportedSyncModes.includes("full_refresh");
    let syncMode: SyncMode = "full_refresh";
    let destinationSyncMode: DestinationSyncMode = "overwrite";
    if (hasCursor && hasKey) {
        syncMode = "incremental";
        destinationSyncMode = "append_dedup";
    } else if (hasCursor && !supportsFullRefresh) {
        syncMode = "incremental";
        destinationSyncMode = "append";
    }
    // A lone stream is pre-selected; otherwise nothing is (no suggested streams in this catalog).
    const selected = totalStreams === 1;
    return {
        syncMode,
        cursorField: stream.defaultCursorField,
        destinationSyncMode,
        primaryKey: stream.sourceDefinedPrimaryKey,
        aliasName: toAlphanumericAndUnderscore(stream.name),
        selected,
        suggested: selected,
    };
}

/** `AirbyteCatalog` as discover returns it: each stream with its default configuration. */
export function toApiCatalog(streams: readonly DiscoveredStream[]): {
    streams: { stream: DiscoveredStream; config: DefaultStreamConfiguration }[];
} {
    return {
        streams: streams.map((stream) => ({ stream, config: defaultStreamConfiguration(stream, streams.length) })),
    };
}

/** Faker's three streams (users, products, purchases), all with a source-defined cursor. */
export function fakerStreams(): DiscoveredStream[] {
    const stream = (name: string, columns: string, extra?: Record<string, JsonSchema>): DiscoveredStream => ({
        name,
        jsonSchema: objectSchema(parseColumns(columns), extra),
        supportedSyncModes: ["full_refresh", "incremental"],
        sourceDefinedCursor: true,
        defaultCursorField: ["updated_at"],
        sourceDefinedPrimaryKey: [["id"]],
        isResumable: true,
    });
    return [
        stream(
            "users",
            "id:integer,created_at:timestamp,updated_at:timestamp,name:string,title:string,age:integer,email:string,telephone:string,gender:string,language:string,academic_degree:string,nationality:string,occupation:string,height:string,blood_type:string,weight:integer",
            {
                address: {
                    type: ["null", "object"],
                    properties: {
                        street_number: { type: "string" },
                        street_name: { type: "string" },
                        city: { type: "string" },
                        state: { type: "string" },
                        province: { type: "string" },
                        postal_code: { type: "string" },
                        country_code: { type: "string" },
                    },
                },
            },
        ),
        stream(
            "products",
            "id:integer,make:string,model:string,year:integer,price:decimal,created_at:timestamp,updated_at:timestamp",
        ),
        stream(
            "purchases",
            "id:integer,user_id:integer,product_id:integer,created_at:timestamp,updated_at:timestamp,added_to_cart_at:timestamp,purchased_at:timestamp,returned_at:timestamp",
        ),
    ];
}

/** A single keyless, full-refresh-only stream, e.g. a file or an unknown custom connector. */
export function singleStream(name: string, columns = "id:string,name:string,value:string"): DiscoveredStream {
    return {
        name,
        jsonSchema: objectSchema(parseColumns(columns)),
        supportedSyncModes: ["full_refresh"],
        sourceDefinedCursor: false,
        defaultCursorField: [],
        sourceDefinedPrimaryKey: [],
        isResumable: false,
    };
}

/**
 * The catalog as the server stores it in `actor_catalog` (the protocol's `AirbyteCatalog`,
 * snake_case), which `sources/most_recent_source_actor_catalog` returns verbatim.
 */
export function toProtocolCatalog(streams: readonly DiscoveredStream[]): { streams: Record<string, unknown>[] } {
    return {
        streams: streams.map((stream) => {
            const protocol: Record<string, unknown> = {
                name: stream.name,
                json_schema: stream.jsonSchema,
                supported_sync_modes: stream.supportedSyncModes,
                source_defined_cursor: stream.sourceDefinedCursor,
                default_cursor_field: stream.defaultCursorField,
                source_defined_primary_key: stream.sourceDefinedPrimaryKey,
                namespace: stream.namespace,
                is_resumable: stream.isResumable,
                is_file_based: stream.isFileBased,
            };
            for (const key of Object.keys(protocol)) if (protocol[key] === undefined) delete protocol[key];
            return protocol;
        }),
    };
}
