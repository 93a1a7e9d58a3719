#!/usr/bin/env node
// @ts-check
/**
 * `npm run generate:connectors`: TypeScript types for the configuration of every source and
 * destination Airbyte publishes, generated from Airbyte's SDK spec (api_sdk.yaml).
 *
 *   npm run generate:connectors                                       regenerate from the pinned copy
 *   npm run generate:connectors -- --from <api_sdk.yaml> --commit <sha> [--date YYYY-MM-DD]
 *                                                                      re-pin from a new copy, then regenerate
 *
 * Input: scripts/connectors/api_sdk.yaml.gz, a vendored copy of
 * airbyte-api/server-api/src/main/openapi/api_sdk.yaml, pinned by scripts/connectors/PINNED.json
 * (upstream repo, path, commit, sha256 of the uncompressed yaml). Vendoring keeps regeneration
 * offline and reproducible; the hash check makes a silently edited copy fail loudly.
 *
 * Output, in provider/connectors/ (everything but the hand-written typed.d.ts is replaced):
 *   sources/<name>.d.ts + .js, destinations/<name>.d.ts + .js   one pair per connector
 *   catalog.json                                                 component -> docker repository, module, secret paths
 *
 * Declarations, not .ts: the repository's own builds never compile these 600 files (tsconfig
 * excludes provider/connectors), and a user's program loads only the modules it imports. Each
 * module imports only @pulumi/pulumi, the package's dist/ index and ../typed, never another
 * connector, so one typed connector costs one small file to the compiler.
 *
 * The output is deterministic: connectors and properties are sorted, oneOf variants keep the
 * spec's order (the first is the connector's default choice), and nothing depends on time or
 * the machine. Running it twice gives byte-identical files.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";

// js-yaml (a devDependency) ships no types; this is all the script uses of it.
const yaml = /** @type {{ load(text: string): unknown }} */ (createRequire(import.meta.url)("js-yaml"));

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PIN_DIR = join(ROOT, "scripts/connectors");
const VENDORED = join(PIN_DIR, "api_sdk.yaml.gz");
const PINNED = join(PIN_DIR, "PINNED.json");
const OUT_DIR = join(ROOT, "provider/connectors");
const PACKAGE = "pulumi-airbyte-dynamic";
const UPSTREAM_REPO = "airbytehq/airbyte-platform";
const UPSTREAM_PATH = "airbyte-api/server-api/src/main/openapi/api_sdk.yaml";

/**
 * @typedef {{ [key: string]: any }} Schema
 *   A JSON Schema node of a connector spec (loosely typed: specs carry many extra keywords).
 * @typedef {"source" | "destination"} Kind
 * @typedef {{ repo: string, path: string, commit: string, sha256: string, date: string }} Pin
 */

// ---------------------------------------------------------------------------------------------
// Pinning: the vendored copy and its record
// ---------------------------------------------------------------------------------------------

/** @param {Buffer | string} data */
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/**
 * Vendors a new copy of api_sdk.yaml: gzipped (3.3 MB of yaml is ~10x smaller), with its hash
 * and upstream commit recorded. The date is the upstream commit's when a local mirror of the
 * repository knows the commit, else `--date`, else today (the day it was pinned).
 * @param {string} from @param {string} commit @param {string | undefined} date
 */
function pin(from, commit, date) {
    if (!/^[0-9a-f]{40}$/.test(commit))
        throw new Error(`--commit must be the full 40-hex commit id, got ${JSON.stringify(commit)}`);
    const text = readFileSync(from);
    // mtime 0 in the gzip header (Node's default) keeps the vendored file the same for the same input.
    writeFileSync(VENDORED, gzipSync(text, { level: 9 }));
    /** @type {Pin} */
    const record = {
        repo: UPSTREAM_REPO,
        path: UPSTREAM_PATH,
        commit,
        sha256: sha256(text),
        date: date ?? new Date().toISOString().slice(0, 10),
    };
    writeFileSync(PINNED, `${JSON.stringify(record, null, 2)}\n`);
    console.log(
        `pinned ${from} as ${UPSTREAM_REPO}@${commit.slice(0, 10)} (${text.length} bytes, sha256 ${record.sha256.slice(0, 12)}…)`,
    );
}

/**
 * The pinned spec's text, refused if it is not the copy PINNED.json describes.
 * @returns {{ text: string, pin: Pin }}
 */
function readPinned() {
    /** @type {Pin} */
    const record = JSON.parse(readFileSync(PINNED, "utf8"));
    const text = gunzipSync(readFileSync(VENDORED));
    const actual = sha256(text);
    if (actual !== record.sha256)
        throw new Error(
            `${VENDORED}: sha256 ${actual} is not the pinned ${record.sha256}; re-pin with --from/--commit`,
        );
    return { text: text.toString("utf8"), pin: record };
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A property key as written in an interface: quoted when it is not an identifier (`"x-api-key"`).
 * @param {string} key
 */
const propertyKey = (key) => (IDENTIFIER.test(key) ? key : JSON.stringify(key));

/**
 * `verify-ca` -> `VerifyCa`, `SSH_KEY_AUTH` -> `SshKeyAuth`, `dimensionFilter` -> `DimensionFilter`
 * (all-caps words are made readable; mixed case is kept).
 * @param {string} text
 */
function pascal(text) {
    const words = String(text)
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean);
    return words
        .map((w) =>
            /^[A-Z0-9]+$/.test(w) ? w.charAt(0) + w.slice(1).toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1),
        )
        .join("");
}

/** `google-ads` -> `googleAds`. @param {string} text */
function camelCase(text) {
    const [first = "", ...rest] = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
    return first.toLowerCase() + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

/**
 * The helper's name: camelCase of the component (`source-mssql` -> `sourceMssql`). Component
 * names always start with `source`/`destination`, so a part starting with a digit
 * (`source-7shifts` -> `source7shifts`) still makes an identifier; anything else that could not
 * be one is replaced, and checked.
 * @param {string} component
 */
function helperName(component) {
    const name = camelCase(component);
    if (!IDENTIFIER.test(name)) throw new Error(`${component}: cannot make an identifier of it (${name})`);
    return name;
}

/** Words a variable of the usage example cannot be called. */
const JS_RESERVED = new Set(
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(
        " ",
    ),
);
/** @param {string} name */
const isVariable = (name) => IDENTIFIER.test(name) && !JS_RESERVED.has(name);

/** Type names every module declares or imports; generated names avoid them. */
const RESERVED = [
    "Configuration",
    "Secrets",
    "SecretInput",
    "SourceArgs",
    "DestinationArgs",
    "TypedSourceArgs",
    "TypedDestinationArgs",
    "pulumi",
];

// ---------------------------------------------------------------------------------------------
// Documentation comments
// ---------------------------------------------------------------------------------------------

/** HTML elements found in descriptions; anything else in angle brackets (`<region>`) is a placeholder and stays. */
const HTML_TAGS = "a|b|i|u|em|strong|code|pre|br|p|div|span|ul|ol|li|sup|sub|h[1-6]";
const ENTITIES = /** @type {Record<string, string>} */ ({
    amp: "&",
    lt: "<",
    gt: ">",
    quot: '"',
    apos: "'",
    nbsp: " ",
    "#39": "'",
});

/**
 * Plain text of a spec description: links kept as `text (url)`, `<code>` as backticks, line
 * breaks and list items as lines, other tags dropped, entities decoded, whitespace collapsed.
 * @param {unknown} html
 */
function plainText(html) {
    if (typeof html !== "string") return "";
    let text = html
        .replace(/<a\b[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a\s*>/gi, (_, href, label) => {
            const inner = label.replace(/<[^>]*>/g, "").trim();
            return !inner || inner === href ? href : `${inner} (${href})`;
        })
        .replace(/<\/?code\s*>/gi, "`")
        .replace(/<br\s*\/?>|<\/?p\s*>|<\/?div\s*>/gi, "\n")
        .replace(/<li\b[^>]*>/gi, "\n- ")
        .replace(new RegExp(`</?(?:${HTML_TAGS})\\b[^<>]*>`, "gi"), "")
        .replace(/&(#39|[a-z]+);/g, (m, name) => ENTITIES[name] ?? m);
    text = text
        .split("\n")
        .map((line) => line.replace(/\s+/g, " ").trim())
        .join("\n")
        .replace(/\n{3,}/g, "\n\n")
        .trim();
    return text;
}

/** A value as written in `@default` / `@example`: JSON, on one line. @param {unknown} value */
const literal = (value) => JSON.stringify(value);

/**
 * The JSDoc of a field: its title, its description, `@default` and `@example`s.
 * @param {Schema} schema @param {string[]} [extra] further lines (notes of the generator)
 */
function docLines(schema, extra = []) {
    const title = plainText(schema.title);
    const description = plainText(schema.description);
    /** @type {string[]} */
    const lines = [];
    if (title) lines.push(title);
    if (description && description !== title) {
        if (lines.length) lines.push("");
        // A text line starting with `@` would be read as a JSDoc tag.
        lines.push(...description.split("\n").map((l) => (l.startsWith("@") ? `(${l})` : l)));
    }
    if (extra.length) {
        if (lines.length) lines.push("");
        lines.push(...extra);
    }
    if (schema.default !== undefined) lines.push(`@default ${literal(schema.default)}`);
    const examples = [
        ...(Array.isArray(schema.examples) ? schema.examples : schema.examples !== undefined ? [schema.examples] : []),
        ...(schema.example !== undefined ? [schema.example] : []),
    ];
    for (const example of examples) lines.push(`@example ${literal(example)}`);
    return lines;
}

/**
 * Renders lines as a JSDoc block at `indent`. `*\/` cannot appear inside a comment: it is defused.
 * @param {string[]} lines @param {string} indent
 */
function jsdoc(lines, indent) {
    if (!lines.length) return [];
    const safe = lines.map((l) => l.replace(/\*\//g, "*\\/"));
    if (safe.length === 1) return [`${indent}/** ${safe[0]} */`];
    return [`${indent}/**`, ...safe.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

// ---------------------------------------------------------------------------------------------
// Schema reading
// ---------------------------------------------------------------------------------------------

/** The JSON types a node declares (`type` may be a string or a list). @param {Schema} schema @returns {string[]} */
function types(schema) {
    if (Array.isArray(schema.type)) return schema.type;
    if (typeof schema.type === "string") return [schema.type];
    if (schema.properties) return ["object"];
    if (schema.items) return ["array"];
    return [];
}

/** @param {Schema} schema */
const isSecret = (schema) => schema?.airbyte_secret === true;
/** @param {Schema} schema */
const isObject = (schema) =>
    !Array.isArray(schema.oneOf) && schema.properties !== undefined && types(schema).includes("object");
/** @param {Schema} schema */
const sortedProperties = (schema) =>
    Object.entries(schema.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The value a property pins: its `const`, or the value of a one-value `enum` (older specs pin
 * variants that way: `format_type: { enum: ["CSV"] }`), as the provider's validation reads them.
 * The SDK spec adds a one-value `enum` next to each `const`, sometimes `[null]`: the const wins.
 * @param {Schema} schema
 */
const constOf = (schema) => {
    if (!schema || typeof schema !== "object") return undefined;
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] !== null) return schema.enum[0];
    return undefined;
};

/**
 * The discriminating property of a oneOf: a key every variant pins with a `const`, to distinct
 * values (`mode` of Postgres' `ssl_mode`). Preferred: one the variants require, then by name.
 * The types make it required even where the spec does not: without it neither Airbyte nor the
 * provider can tell which variant is meant, and TypeScript needs it to check each variant's keys.
 * @param {Schema[]} variants @returns {string | undefined}
 */
function discriminatorOf(variants) {
    const candidates = Object.keys(variants[0]?.properties ?? {})
        .filter((key) => variants.every((v) => constOf(v.properties?.[key]) !== undefined))
        .filter((key) => new Set(variants.map((v) => literal(constOf(v.properties[key])))).size === variants.length)
        .sort((a, b) => {
            const required = (/** @type {string} */ k) =>
                variants.every((v) => (v.required ?? []).includes(k)) ? 0 : 1;
            return required(a) - required(b) || (a < b ? -1 : a > b ? 1 : 0);
        });
    return candidates[0];
}

/**
 * Whether a field has anything left once secrets go to `Secrets`: objects made only of secrets
 * are left out of `Configuration` (an empty object type would accept any keys).
 * @param {Schema} schema @returns {boolean}
 */
function hasConfiguration(schema) {
    if (!schema || isSecret(schema)) return false;
    if (Array.isArray(schema.oneOf)) return true;
    if (isObject(schema)) return Object.values(schema.properties).some(hasConfiguration);
    if (types(schema).includes("array") && schema.items && !Array.isArray(schema.items) && isObject(schema.items))
        return hasConfiguration(schema.items);
    return true;
}

/**
 * Whether `Configuration` requires a field the spec requires: not when all that is required of
 * it is secret (an object whose required fields are all under `secrets`: the provider merges
 * `secrets` into `configuration`, so writing `credentials: {}` would add nothing).
 * @param {Schema} schema @returns {boolean}
 */
function requiresConfiguration(schema) {
    if (!hasConfiguration(schema)) return false;
    if (isObject(schema))
        return (schema.required ?? []).some(
            (/** @type {string} */ k) => schema.properties[k] && requiresConfiguration(schema.properties[k]),
        );
    return true;
}

// ---------------------------------------------------------------------------------------------
// One connector module
// ---------------------------------------------------------------------------------------------

/**
 * Generates the declarations of one connector. Named types (nested objects, oneOf unions and
 * their variants) are collected in `declarations` in the order they are first met, after
 * `Configuration` and `Secrets`.
 */
class ConnectorModule {
    /** @param {string} component @param {Kind} kind @param {Schema} schema */
    constructor(component, kind, schema) {
        this.component = component;
        this.kind = kind;
        this.schema = schema;
        this.helper = helperName(component);
        /** @type {Set<string>} */
        this.names = new Set([...RESERVED, this.helper]);
        /** @type {string[][]} */
        this.declarations = [];
        /** Dotted paths of every secret field (array items as `[]`), for catalog.json. @type {string[]} */
        this.secretPaths = [];
        /** Secret fields inside array items: the `secrets` tree cannot reach them. @type {string[]} */
        this.unreachableSecrets = [];
    }

    /**
     * A fresh type name: `preferred`, else with the parent's name before it, else numbered.
     * @param {string} preferred @param {string} parent
     */
    name(preferred, parent) {
        let base = pascal(preferred) || "Field";
        if (/^[0-9]/.test(base)) base = `${pascal(parent)}${base}`;
        if (/^[0-9]/.test(base)) base = `T${base}`;
        let name = base;
        if (this.names.has(name) && parent) name = `${pascal(parent)}${base}`;
        for (let i = 2; this.names.has(name); i++) name = `${base}${i}`;
        this.names.add(name);
        return name;
    }

    /**
     * The discriminator property the public API adds to every connector (`sourceType: "postgres"`): not the
     * user's to write.
     */
    get apiDiscriminator() {
        return this.kind === "source" ? "sourceType" : "destinationType";
    }

    // --- Configuration ---------------------------------------------------------------------

    /**
     * The TypeScript type of a non-secret field. Leaves are `pulumi.Input<T>` (an Output such as
     * an instance's private IP can be used); objects and oneOf unions stay plain object types so
     * TypeScript checks their keys; `const`s are plain literals (they pick the variant).
     * @param {Schema} schema
     * @param {string} key the property name (for type names)
     * @param {string} parent the enclosing type's name
     * @param {string} path dotted path, for the secrets found below
     * @returns {string}
     */
    typeOf(schema, key, parent, path) {
        if (constOf(schema) !== undefined) return literal(constOf(schema));
        if (Array.isArray(schema.oneOf) && schema.oneOf.length) return this.union(schema, key, parent, path);
        const jsonTypes = types(schema);
        if (Array.isArray(schema.enum) && schema.enum.length) {
            const values = schema.enum.filter((/** @type {unknown} */ v) => v !== null || jsonTypes.includes("null"));
            if (values.length) return `pulumi.Input<${[...new Set(values.map(literal))].join(" | ")}>`;
        }
        if (isObject(schema)) return this.object(schema, key, parent, path);
        /** @type {string[]} */
        const members = [];
        for (const t of jsonTypes) {
            if (t === "string") members.push("string");
            else if (t === "integer" || t === "number") members.push("number");
            else if (t === "boolean") members.push("boolean");
            else if (t === "null") members.push("null");
            else if (t === "object") members.push("{ [key: string]: unknown }");
            else if (t === "array") return `pulumi.Input<${this.element(schema.items, key, parent, path)}[]>`;
        }
        const unique = [...new Set(members)];
        return unique.length ? `pulumi.Input<${unique.join(" | ")}>` : "unknown";
    }

    /**
     * The element type of an array: `pulumi.Input<T>` of the item type (items of arrays may be
     * Outputs too). Secret fields of object items are left out and reported: `secrets` is a tree
     * of objects and cannot address an array element.
     * @param {Schema | undefined} items @param {string} key @param {string} parent @param {string} path
     */
    element(items, key, parent, path) {
        if (!items || Array.isArray(items)) return "unknown";
        const before = this.secretPaths.length;
        const type = this.typeOf(items, `${key}Item`, parent, `${path}[]`);
        this.unreachableSecrets.push(...this.secretPaths.slice(before));
        return type === "unknown" || type.startsWith("pulumi.Input<") ? type : `pulumi.Input<${type}>`;
    }

    /**
     * A named interface for an object field, its non-secret properties only.
     * @param {Schema} schema @param {string} key @param {string} parent @param {string} path
     * @param {{ name?: string, discriminator?: string, doc?: string[] }} [options]
     */
    object(schema, key, parent, path, options = {}) {
        const name = options.name ?? this.name(key, parent);
        const required = new Set(schema.required ?? []);
        /** @type {string[]} */
        const body = [];
        // Reserve the slot now so nested declarations follow their parent in the file.
        const slot = this.declarations.push([]) - 1;
        for (const [prop, child] of sortedProperties(schema)) {
            if (!child || typeof child !== "object") continue;
            const childPath = path ? `${path}.${prop}` : prop;
            if (isSecret(child)) {
                this.secretPaths.push(childPath);
                continue;
            }
            this.collectSecretPaths(child, childPath);
            if (!hasConfiguration(child)) continue;
            const before = this.unreachableSecrets.length;
            const type = this.typeOf(child, prop, name, childPath);
            // Named where the array is, relative to its items: `applications: ... (app_id, app_api_key)`.
            const unreachable = types(child).includes("array")
                ? this.unreachableSecrets.slice(before).map((p) => p.slice(childPath.length + 3))
                : [];
            const note = unreachable.length
                ? [
                      `Secret fields of the items (${unreachable.map((p) => `\`${p}\``).join(", ")}) cannot be set through this package: \`secrets\` cannot address array elements.`,
                  ]
                : [];
            const isRequired = prop === options.discriminator || (required.has(prop) && requiresConfiguration(child));
            body.push(
                ...jsdoc(docLines(child, note), "    "),
                `    ${propertyKey(prop)}${isRequired ? "" : "?"}: ${type};`,
            );
        }
        const declaration = body.length
            ? [`export interface ${name} {`, ...body, "}"]
            : [`export interface ${name} {}`];
        this.declarations[slot] = [...jsdoc(options.doc ?? docLines(schema), ""), ...declaration];
        return name;
    }

    /**
     * Secret paths below a non-secret field (only recorded here; the types come from secretsOf).
     * @param {Schema} schema @param {string} path
     */
    collectSecretPaths(schema, path) {
        // Objects and oneOfs record their own while their interfaces are generated; only a
        // field left out of Configuration (all secret) needs its secrets recorded here.
        if (hasConfiguration(schema)) return;
        for (const variant of Array.isArray(schema.oneOf) ? schema.oneOf : [schema]) {
            for (const [prop, child] of sortedProperties(variant)) {
                if (isSecret(child)) this.secretPaths.push(`${path}.${prop}`);
                else this.collectSecretPaths(child, `${path}.${prop}`);
            }
            if (variant.items && !Array.isArray(variant.items)) {
                const before = this.secretPaths.length;
                this.collectSecretPaths(variant.items, `${path}[]`);
                this.unreachableSecrets.push(...this.secretPaths.slice(before));
            }
        }
    }

    /**
     * A oneOf field: a union of one interface per variant, named after the variant's
     * discriminator value (`SslModeVerifyCa`) or, lacking one, its title.
     * @param {Schema} schema @param {string} key @param {string} parent @param {string} path
     */
    union(schema, key, parent, path) {
        const name = this.name(key, parent);
        /** @type {Schema[]} */
        const variants = schema.oneOf.filter((/** @type {unknown} */ v) => v && typeof v === "object");
        const discriminator = discriminatorOf(variants);
        const slot = this.declarations.push([]) - 1;
        const members = variants.map((variant, i) => {
            const label = discriminator
                ? String(constOf(variant.properties[discriminator]))
                : (variant.title ?? String(i + 1));
            const variantName = this.name(`${name} ${pascal(label) || i + 1}`, parent);
            // A variant without properties (`{}` or only a type) still gets an interface: its
            // discriminator-less shape is `{}`.
            this.object({ ...variant, properties: variant.properties ?? {} }, variantName, name, path, {
                name: variantName,
                discriminator,
            });
            return variantName;
        });
        this.declarations[slot] = [...jsdoc(docLines(schema), ""), `export type ${name} = ${members.join(" | ")};`];
        return name;
    }

    // --- Secrets ---------------------------------------------------------------------------

    /**
     * The `Secrets` members of an object, shaped like the configuration: a secret field is a
     * `SecretInput`; an object or oneOf with secrets below becomes an optional object of them
     * (the variants' secrets merged: the variant is chosen in `configuration`). Only top-level
     * secrets the spec requires are required: below, whether one is needed depends on the variant.
     * @param {Schema} schema @param {string} indent @param {boolean} topLevel
     * @returns {string[]}
     */
    secretsOf(schema, indent, topLevel) {
        /**
         * @typedef {{ docs: Schema, leaf: boolean, required: boolean, children: Schema[], usedWith: string[] }}
         *   SecretField
         */
        /** @type {Map<string, SecretField>} */
        const fields = new Map();
        const variants = Array.isArray(schema.oneOf) ? schema.oneOf : [schema];
        const discriminator = Array.isArray(schema.oneOf) ? discriminatorOf(schema.oneOf) : undefined;
        for (const variant of variants) {
            if (!variant || typeof variant !== "object") continue;
            const required = new Set(topLevel ? (variant.required ?? []) : []);
            for (const [prop, child] of sortedProperties(variant)) {
                if (!child || typeof child !== "object") continue;
                const secret = isSecret(child);
                const nested = !secret && (Array.isArray(child.oneOf) || isObject(child));
                if (!secret && !nested) continue;
                /** @type {SecretField} */
                const field = fields.get(prop) ?? {
                    docs: child,
                    leaf: false,
                    required: false,
                    children: [],
                    usedWith: [],
                };
                if (secret) {
                    field.leaf = true;
                    field.required ||= required.has(prop);
                    if (discriminator) field.usedWith.push(literal(constOf(variant.properties[discriminator])));
                } else field.children.push(child);
                fields.set(prop, field);
            }
        }
        /** @type {string[]} */
        const lines = [];
        for (const [prop, field] of [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            const inner = field.children.flatMap((child) => this.secretsOf(child, `${indent}    `, false));
            if (!field.leaf && !inner.length) continue;
            const note =
                discriminator && field.leaf ? [`With \`${discriminator}: ${field.usedWith.join(" | ")}\`.`] : [];
            const type = [
                ...(field.leaf ? ["SecretInput"] : []),
                ...(inner.length ? [`{\n${inner.join("\n")}\n${indent}}`] : []),
            ].join(" | ");
            lines.push(
                ...jsdoc(
                    field.leaf
                        ? docLines(field.docs, note)
                        : docLines({ title: field.docs.title, description: field.docs.description }),
                    indent,
                ),
                `${indent}${propertyKey(prop)}${field.required ? "" : "?"}: ${type};`,
            );
        }
        return lines;
    }

    // --- The files ---------------------------------------------------------------------------

    /** @param {Pin} pin @returns {{ dts: string, js: string, entry: object }} */
    render(pin) {
        const short = this.component.slice(this.kind.length + 1);
        const dir = `${this.kind}s`;
        const docker = `airbyte/${this.component}`;
        const args = this.kind === "source" ? "SourceArgs" : "DestinationArgs";
        const typed = this.kind === "source" ? "TypedSourceArgs" : "TypedDestinationArgs";
        const klass = this.kind === "source" ? "Source" : "Destination";
        /** @type {Schema} */
        const root = { ...this.schema, properties: { ...this.schema.properties } };
        delete root.properties[this.apiDiscriminator];

        this.object(root, "Configuration", "", "", {
            name: "Configuration",
            doc: [`The configuration of ${docker} without its secret fields (those go to {@link Secrets}).`],
        });
        const secrets = this.secretsOf(root, "    ", true);
        const configuration = this.declarations;
        const requiredKeys = (root.required ?? []).filter(
            (/** @type {string} */ k) => root.properties[k] && requiresConfiguration(root.properties[k]),
        );
        const requiredSecrets = (root.required ?? [])
            .filter((/** @type {string} */ k) => isSecret(root.properties[k]))
            .sort();
        const secretKeys = Object.keys(root.properties)
            .filter((k) => isSecret(root.properties[k]))
            .sort();
        const exampleSecret = requiredSecrets[0] ?? secretKeys[0];
        // The usage example names the required fields as if they were variables: `{ host, port }`.
        const shorthand = requiredKeys.filter(isVariable).sort();
        const camel = camelCase(short);
        const variable = isVariable(camel) ? camel : this.kind;

        const header = [
            `// Generated by scripts/generate-connectors.mjs from ${pin.repo}@${pin.commit.slice(0, 10)}:${pin.path} (${this.component}). Do not edit.`,
            "/**",
            ` * Typed configuration of the Airbyte ${this.kind} \`${docker}\`.`,
            " *",
            " * ```ts",
            ` * import * as airbyte from "${PACKAGE}";`,
            ` * import { ${this.helper} } from "${PACKAGE}/${dir}/${short}";`,
            ` * const ${variable} = new airbyte.${klass}("${short}", ${this.helper}({`,
            ` *     configuration: { ${shorthand.join(", ")}${shorthand.length ? " " : ""}},`,
            ...(exampleSecret
                ? [
                      ` *     secrets: { ${propertyKey(exampleSecret)}: airbyte.secretsManager({ secretId, key: ${literal(exampleSecret)} }) },`,
                  ]
                : []),
            " * }));",
            " * ```",
            " *",
            " * A misspelled key, a secret field under `configuration` or a wrong variant value is a compile",
            " * error. `definition` defaults to the connector's docker repository; set it for a custom image",
            " * or a definition id.",
            " */",
            'import type * as pulumi from "@pulumi/pulumi";',
            `import type { ${args}, SecretInput } from "../../../dist/provider/index";`,
            `import type { ${typed} } from "../typed";`,
            "",
        ];
        const secretsDecl = secrets.length
            ? [
                  "/** The secret fields (`airbyte_secret` in the spec), shaped like the configuration. */",
                  "export interface Secrets {",
                  ...secrets,
                  "}",
              ]
            : [`/** ${docker} has no secret fields. */`, "export interface Secrets {}"];
        const helperDoc = [
            `/** Arguments of \`new airbyte.${klass}(name, ${this.helper}({...}))\` for \`${docker}\`, with \`definition\` defaulting to it. */`,
            `export declare function ${this.helper}(args: ${typed}<Configuration, Secrets>): ${args};`,
        ];
        const body = [
            ...configuration.flatMap((d, i) => (i === 0 ? [...d, "", ...secretsDecl] : d).concat("")),
            ...helperDoc,
        ];
        const dts = `${[...header, ...body].join("\n")}\n`;
        const js = [
            `// Generated by scripts/generate-connectors.mjs (${this.component}). Do not edit.`,
            '"use strict";',
            'Object.defineProperty(exports, "__esModule", { value: true });',
            `exports.${this.helper} = function ${this.helper}(args) {`,
            `    return { ...args, definition: args.definition ?? ${literal(docker)} };`,
            "};",
            "",
        ].join("\n");
        const entry = {
            type: this.kind,
            dockerRepository: docker,
            module: `${PACKAGE}/${dir}/${short}`,
            file: `provider/connectors/${dir}/${short}.d.ts`,
            helper: this.helper,
            secrets: [...new Set(this.secretPaths)].sort(),
            ...(requiredSecrets.length ? { requiredSecrets } : {}),
            ...(this.unreachableSecrets.length
                ? { secretsInArrays: [...new Set(this.unreachableSecrets)].sort() }
                : {}),
        };
        return { dts, js, entry };
    }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/**
 * Connector components: `source-*` / `destination-*`, the create variants (the `-update` ones lack the type
 * discriminator's meaning for us).
 * @param {Record<string, Schema>} schemas
 */
function connectorComponents(schemas) {
    return Object.keys(schemas)
        .filter((name) => /^(source|destination)-[a-z0-9-]+$/.test(name) && !name.endsWith("-update"))
        .filter((name) => schemas[name]?.type === "object" && schemas[name].properties)
        .sort();
}

function main() {
    const { values } = parseArgs({
        options: { from: { type: "string" }, commit: { type: "string" }, date: { type: "string" } },
    });
    if (values.from || values.commit) {
        if (!values.from || !values.commit)
            throw new Error("re-pinning takes both --from <api_sdk.yaml> and --commit <sha>");
        pin(values.from, values.commit, values.date);
    }
    const { text, pin: record } = readPinned();
    const spec = /** @type {{ components: { schemas: Record<string, Schema> } }} */ (yaml.load(text));
    const schemas = spec.components.schemas;

    for (const dir of ["sources", "destinations"]) rmSync(join(OUT_DIR, dir), { recursive: true, force: true });
    /** @type {Record<string, object>} */
    const catalog = {};
    const counts = { source: 0, destination: 0 };
    for (const component of connectorComponents(schemas)) {
        const kind = /** @type {Kind} */ (component.startsWith("source-") ? "source" : "destination");
        // connectorComponents names only components whose schema is there (an object with properties).
        const schema = /** @type {Schema} */ (schemas[component]);
        const { dts, js, entry } = new ConnectorModule(component, kind, schema).render(record);
        const base = join(OUT_DIR, `${kind}s`, component.slice(kind.length + 1));
        mkdirSync(dirname(base), { recursive: true });
        writeFileSync(`${base}.d.ts`, dts);
        writeFileSync(`${base}.js`, js);
        catalog[component] = entry;
        counts[kind]++;
    }
    // One connector per line: a spec update reads as a small diff.
    const lines = Object.entries(catalog).map(([name, entry]) => `    ${literal(name)}: ${literal(entry)}`);
    const source = { repo: record.repo, path: record.path, commit: record.commit, date: record.date };
    writeFileSync(
        join(OUT_DIR, "catalog.json"),
        `{\n  "generatedFrom": ${literal(source)},\n  "connectors": {\n${lines.join(",\n")}\n  }\n}\n`,
    );
    if (!existsSync(join(OUT_DIR, "typed.d.ts")))
        console.warn("warning: provider/connectors/typed.d.ts (hand-written) is missing");
    console.log(
        `generated ${counts.source} sources and ${counts.destination} destinations in ${OUT_DIR} from ${record.repo}@${record.commit.slice(0, 10)}`,
    );
}

try {
    main();
} catch (error) {
    console.error(`generate-connectors: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
}
