/**
 * Deterministic catalogs for `sources/discover_schema`.
 *
 * Database sources map every configured schema (MSSQL/Postgres `schemas`, MySQL `database`) to a
 * namespace of tables:
 *
 * - an ordinary schema name (dbo, public, sales, ...) yields a fixed sales-domain set of 28 tables
 *   and views, including composite primary keys (order_items, ...), a table without a primary
 *   key (audit_log) and views that only support full_refresh (v_daily_sales, ...);
 * - a schema named `generated_<N>` or `tables_<N>` yields N tables `table_000`, `table_001`, ...
 *   (zero-padded to at least three digits), for tests and benchmarks that need large catalogs.
 *
 * With CDC replication, streams with a primary key get a source-defined cursor and the
 * connector's CDC metadata columns, like the real Debezium-based connectors; keyless tables and
 * views fall back to full_refresh only.
 *
 * `defaultStreamConfiguration` reproduces CatalogConverter.generateDefaultConfiguration and
 * configureDefaultSyncModesForNewStream (airbyte-platform), so discover results carry the same
 * default `config` as on a real server.
 */
import type { DiscoveredStream, DestinationSyncMode, JsonSchema, SyncMode } from "./connectors/types";

export type CdcFlavour = "mssql" | "postgres" | "mysql";

type ColumnType = "integer" | "decimal" | "string" | "timestamp" | "date" | "boolean";

interface TableSpec {
    name: string;
    /** `name:type` pairs, comma separated. */
    columns: string;
    primaryKey: string[];
    cursor?: string;
    view?: boolean;
}

/** A realistic sales/ERP schema. Order matters only for readability; catalogs sort by name. */
const SALES_TABLES: readonly TableSpec[] = [
    { name: "customers", columns: "id:integer,first_name:string,last_name:string,email:string,phone:string,company_name:string,created_at:timestamp,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "customer_addresses", columns: "id:integer,customer_id:integer,address_type:string,line1:string,line2:string,city:string,state:string,postal_code:string,country_code:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "products", columns: "id:integer,sku:string,name:string,description:string,category_id:integer,unit_price:decimal,currency:string,is_active:boolean,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "product_categories", columns: "id:integer,parent_id:integer,name:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "suppliers", columns: "id:integer,name:string,contact_email:string,country_code:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "product_suppliers", columns: "product_id:integer,supplier_id:integer,lead_time_days:integer,unit_cost:decimal,updated_at:timestamp", primaryKey: ["product_id", "supplier_id"], cursor: "updated_at" },
    { name: "warehouses", columns: "id:integer,code:string,name:string,city:string,country_code:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "inventory_levels", columns: "warehouse_id:integer,product_id:integer,quantity_on_hand:integer,quantity_reserved:integer,updated_at:timestamp", primaryKey: ["warehouse_id", "product_id"], cursor: "updated_at" },
    { name: "orders", columns: "id:integer,customer_id:integer,order_number:string,status:string,order_date:date,total_amount:decimal,currency:string,sales_rep_id:integer,store_id:integer,created_at:timestamp,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "order_items", columns: "order_id:integer,line_number:integer,product_id:integer,quantity:integer,unit_price:decimal,discount_amount:decimal,updated_at:timestamp", primaryKey: ["order_id", "line_number"], cursor: "updated_at" },
    { name: "payments", columns: "id:integer,order_id:integer,payment_method:string,amount:decimal,currency:string,paid_at:timestamp,status:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "shipments", columns: "id:integer,order_id:integer,warehouse_id:integer,carrier:string,tracking_number:string,shipped_at:timestamp,delivered_at:timestamp,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "returns", columns: "id:integer,order_id:integer,product_id:integer,quantity:integer,reason:string,returned_at:timestamp,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "invoices", columns: "id:integer,order_id:integer,invoice_number:string,issued_on:date,due_on:date,amount_due:decimal,status:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "invoice_lines", columns: "invoice_id:integer,line_number:integer,description:string,amount:decimal,tax_amount:decimal,updated_at:timestamp", primaryKey: ["invoice_id", "line_number"], cursor: "updated_at" },
    { name: "employees", columns: "id:integer,first_name:string,last_name:string,email:string,department_id:integer,manager_id:integer,hired_on:date,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "departments", columns: "id:integer,name:string,cost_center:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "sales_reps", columns: "id:integer,employee_id:integer,region_id:integer,quota_amount:decimal,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "regions", columns: "id:integer,name:string,country_code:string,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "stores", columns: "id:integer,name:string,region_id:integer,opened_on:date,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "promotions", columns: "id:integer,code:string,description:string,discount_percent:decimal,starts_at:timestamp,ends_at:timestamp,updated_at:timestamp", primaryKey: ["id"], cursor: "updated_at" },
    { name: "order_promotions", columns: "order_id:integer,promotion_id:integer,applied_amount:decimal,updated_at:timestamp", primaryKey: ["order_id", "promotion_id"], cursor: "updated_at" },
    { name: "price_history", columns: "product_id:integer,valid_from:timestamp,unit_price:decimal,currency:string", primaryKey: ["product_id", "valid_from"], cursor: "valid_from" },
    { name: "exchange_rates", columns: "currency_code:string,rate_date:date,rate_to_usd:decimal", primaryKey: ["currency_code", "rate_date"], cursor: "rate_date" },
    { name: "sales_targets", columns: "region_id:integer,fiscal_quarter:string,target_amount:decimal,updated_at:timestamp", primaryKey: ["region_id", "fiscal_quarter"], cursor: "updated_at" },
    // No primary key: incremental by cursor is possible, deduplication is not.
    { name: "audit_log", columns: "event_time:timestamp,actor:string,action:string,entity:string,entity_id:string,details:string", primaryKey: [], cursor: "event_time" },
    // Views: no key, no cursor, full_refresh only.
    { name: "v_daily_sales", columns: "sales_date:date,store_id:integer,order_count:integer,revenue:decimal", primaryKey: [], view: true },
    { name: "v_customer_lifetime_value", columns: "customer_id:integer,first_order_date:date,order_count:integer,lifetime_value:decimal", primaryKey: [], view: true },
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

function objectSchema(columns: string, extra?: Record<string, JsonSchema>): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const pair of columns.split(",")) {
        const [name, type] = pair.split(":") as [string, ColumnType];
        properties[name] = JSON_TYPES[type];
    }
    return { type: "object", properties: extra ? { ...properties, ...extra } : properties };
}

function tableToStream(table: TableSpec, namespace: string | undefined, cdc: CdcFlavour | undefined): DiscoveredStream {
    const hasKey = table.primaryKey.length > 0;
    const primaryKey = table.primaryKey.map((column) => [column]);
    if (table.view) {
        return { name: table.name, namespace, jsonSchema: objectSchema(table.columns), supportedSyncModes: ["full_refresh"], sourceDefinedCursor: false, defaultCursorField: [], sourceDefinedPrimaryKey: [], isResumable: false };
    }
    if (cdc) {
        if (!hasKey) {
            // Debezium needs a key to emit change events; keyless tables are read in full.
            return { name: table.name, namespace, jsonSchema: objectSchema(table.columns), supportedSyncModes: ["full_refresh"], sourceDefinedCursor: false, defaultCursorField: [], sourceDefinedPrimaryKey: [], isResumable: false };
        }
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
    return {
        name: table.name,
        namespace,
        jsonSchema: objectSchema(table.columns),
        supportedSyncModes: ["full_refresh", "incremental"],
        sourceDefinedCursor: false,
        defaultCursorField: table.cursor ? [table.cursor] : [],
        sourceDefinedPrimaryKey: primaryKey,
        isResumable: hasKey,
    };
}

/** Streams of one database schema (namespace), following the naming convention above. */
export function streamsForSchema(namespace: string, cdc?: CdcFlavour): DiscoveredStream[] {
    const generated = GENERATED_SCHEMA.exec(namespace);
    if (generated) {
        const count = Math.min(Number(generated[1]), MAX_GENERATED_TABLES);
        const width = Math.max(3, String(Math.max(count - 1, 0)).length);
        const streams: DiscoveredStream[] = [];
        for (let i = 0; i < count; i++) {
            const table: TableSpec = {
                name: `table_${String(i).padStart(width, "0")}`,
                columns: "id:integer,name:string,amount:decimal,created_at:timestamp,updated_at:timestamp",
                primaryKey: ["id"],
                cursor: "updated_at",
            };
            streams.push(tableToStream(table, namespace, cdc));
        }
        return streams;
    }
    return SALES_TABLES.map((table) => tableToStream(table, namespace, cdc));
}

/** Streams of several schemas; duplicates in the list are ignored, like a SQL `IN (...)`. */
export function streamsForSchemas(namespaces: readonly string[], cdc?: CdcFlavour): DiscoveredStream[] {
    return [...new Set(namespaces)].flatMap((namespace) => streamsForSchema(namespace, cdc));
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
export function toApiCatalog(streams: readonly DiscoveredStream[]): { streams: { stream: DiscoveredStream; config: DefaultStreamConfiguration }[] } {
    return { streams: streams.map((stream) => ({ stream, config: defaultStreamConfiguration(stream, streams.length) })) };
}

/** Faker's three streams (users, products, purchases), all with a source-defined cursor. */
export function fakerStreams(): DiscoveredStream[] {
    const stream = (name: string, columns: string, extra?: Record<string, JsonSchema>): DiscoveredStream => ({
        name,
        jsonSchema: objectSchema(columns, extra),
        supportedSyncModes: ["full_refresh", "incremental"],
        sourceDefinedCursor: true,
        defaultCursorField: ["updated_at"],
        sourceDefinedPrimaryKey: [["id"]],
        isResumable: true,
    });
    return [
        stream("users", "id:integer,created_at:timestamp,updated_at:timestamp,name:string,title:string,age:integer,email:string,telephone:string,gender:string,language:string,academic_degree:string,nationality:string,occupation:string,height:string,blood_type:string,weight:integer", {
            address: { type: ["null", "object"], properties: { street_number: { type: "string" }, street_name: { type: "string" }, city: { type: "string" }, state: { type: "string" }, province: { type: "string" }, postal_code: { type: "string" }, country_code: { type: "string" } } },
        }),
        stream("products", "id:integer,make:string,model:string,year:integer,price:decimal,created_at:timestamp,updated_at:timestamp"),
        stream("purchases", "id:integer,user_id:integer,product_id:integer,created_at:timestamp,updated_at:timestamp,added_to_cart_at:timestamp,purchased_at:timestamp,returned_at:timestamp"),
    ];
}

/** A single keyless, full-refresh-only stream, e.g. a file or an unknown custom connector. */
export function singleStream(name: string, columns = "id:string,name:string,value:string"): DiscoveredStream {
    return { name, jsonSchema: objectSchema(columns), supportedSyncModes: ["full_refresh"], sourceDefinedCursor: false, defaultCursorField: [], sourceDefinedPrimaryKey: [], isResumable: false };
}
