/**
 * The plain-data helpers of provider/runtime/values.ts: Pulumi's unknown sentinel, canonical JSON
 * and the digests built on it (create fingerprints, catalog digests), merges, and the UUID guard on
 * ids read from state.
 */
import {
    canonicalJson,
    compact,
    containsUnknown,
    deepEqual,
    deepMerge,
    digest,
    isKnown,
    isUnknown,
    isUuid,
    leaves,
    omit,
    requireUuidFromState,
    UNKNOWN,
} from "../../provider/runtime/values";

const ID = "5f0c6a4e-2b1d-4c3e-9f8a-7b6c5d4e3f2a";

/** The error `fn` throws; fails the test when it throws none. */
function thrown(fn: () => unknown): Error {
    try {
        fn();
    } catch (error) {
        return error as Error;
    }
    throw new Error("expected a throw, got none");
}

describe("the preview's unknown value", () => {
    test.each<[string, boolean, boolean, unknown]>([
        // name, isUnknown, isKnown, value
        ["the sentinel itself", true, false, UNKNOWN],
        ["undefined (an absent input)", false, false, undefined],
        ["null (Pulumi's other absent input)", false, false, null],
        ["an ordinary UUID", false, true, ID],
        ["the sentinel in upper case (a different string)", false, true, UNKNOWN.toUpperCase()],
        ["an empty string", false, true, ""],
        ["zero", false, true, 0],
        ["false", false, true, false],
        ["an object", false, true, { id: UNKNOWN }],
    ])("%s: isUnknown %p, isKnown %p", (_name, unknown, known, value) => {
        expect(isUnknown(value)).toBe(unknown);
        expect(isKnown(value)).toBe(known);
    });

    test.each<[string, boolean, unknown]>([
        ["the sentinel at the top", true, UNKNOWN],
        ["a known scalar", false, "x"],
        ["null", false, null],
        ["an empty object", false, {}],
        ["an object member", true, { sourceId: UNKNOWN }],
        ["deep in objects and arrays", true, { a: [{ b: [1, { c: UNKNOWN }] }] }],
        ["an array item", true, ["x", UNKNOWN]],
        ["only as a key, never as a value", false, { [UNKNOWN]: "known" }],
        ["a string that merely contains it", false, { a: `prefix-${UNKNOWN}` }],
        ["known values everywhere", false, { a: [1, "two", { b: null, c: false }] }],
    ])("containsUnknown: %s -> %p", (_name, expected, value) => {
        expect(containsUnknown(value)).toBe(expected);
    });
});

describe("canonicalJson", () => {
    test.each<[string, unknown, string]>([
        ["keys sorted at the top", { b: 1, a: 2 }, '{"a":2,"b":1}'],
        [
            "keys sorted at every level",
            { z: { y: 1, x: 2 }, a: [{ d: 1, c: 2 }] },
            '{"a":[{"c":2,"d":1}],"z":{"x":2,"y":1}}',
        ],
        ["arrays keep their order", [3, 1, 2], "[3,1,2]"],
        ["undefined members dropped", { a: 1, b: undefined, c: { d: undefined } }, '{"a":1,"c":{}}'],
        ["undefined array items become null (as JSON.stringify)", [1, undefined], "[1,null]"],
        ["null members kept", { a: null }, '{"a":null}'],
        ["scalars as JSON", "x", '"x"'],
    ])("%s", (_name, value, expected) => {
        expect(canonicalJson(value)).toBe(expected);
    });
});

describe("deepEqual", () => {
    test.each<[string, unknown, unknown, boolean]>([
        ["same keys in another order", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, true],
        ["an undefined member is the same as an absent one", { a: 1, b: undefined }, { a: 1 }, true],
        ["a null member is not the same as an absent one", { a: 1, b: null }, { a: 1 }, false],
        ["arrays in another order differ", [1, 2], [2, 1], false],
        ["a number and its string differ", { port: 1433 }, { port: "1433" }, false],
        ["a nested difference", { a: { b: [1, { c: 1 }] } }, { a: { b: [1, { c: 2 }] } }, false],
        ["an extra member", { a: 1 }, { a: 1, b: 2 }, false],
    ])("%s", (_name, a, b, expected) => {
        expect(deepEqual(a, b)).toBe(expected);
        expect(deepEqual(b, a)).toBe(expected);
    });
});

describe("digest", () => {
    // Digests are persisted (create fingerprints in the create journal), so they must not change
    // between releases: these are SHA-256 of the canonical JSON, pinned.
    test.each<[string, unknown, string]>([
        [
            "a nested object",
            { b: [2, { d: null, c: 3 }], a: 1 },
            "d58708f064977b8036f302c8e6200dbf94132130cae0fbd7f86f2b2218e2e6f3",
        ],
        ["an empty array", [], "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"],
        ["an empty object", {}, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"],
    ])("of %s is pinned", (_name, value, expected) => {
        expect(digest(value)).toBe(expected);
    });

    test.each<[string, unknown, unknown, boolean]>([
        ["key order does not matter", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, true],
        ["undefined members do not matter", { a: 1, b: undefined }, { a: 1 }, true],
        ["array order matters", { streams: ["a", "b"] }, { streams: ["b", "a"] }, false],
        ["a changed value matters", { name: "db", port: 1 }, { name: "db", port: 2 }, false],
        ["the type of a value matters", { port: 1 }, { port: "1" }, false],
    ])("%s", (_name, a, b, same) => {
        expect(digest(a) === digest(b)).toBe(same);
    });
});

describe("deepMerge", () => {
    test.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
        ["disjoint keys are united", { a: 1 }, { b: 2 }, { a: 1, b: 2 }],
        ["a scalar replaces a scalar", { a: 1 }, { a: 2 }, { a: 2 }],
        [
            "objects merge at every level",
            { a: { b: 1, c: { d: 1 } } },
            { a: { c: { e: 2 } } },
            { a: { b: 1, c: { d: 1, e: 2 } } },
        ],
        ["an array replaces an array (no concatenation)", { a: [1, 2, 3] }, { a: [9] }, { a: [9] }],
        ["an object replaces a scalar", { a: 1 }, { a: { b: 2 } }, { a: { b: 2 } }],
        ["a scalar replaces an object", { a: { b: 2 } }, { a: "x" }, { a: "x" }],
        ["null replaces an object", { a: { b: 2 } }, { a: null }, { a: null }],
        ["an undefined member is set (not skipped)", { a: 1 }, { a: undefined }, { a: undefined }],
        ["an empty overlay is a copy", { a: { b: 1 } }, {}, { a: { b: 1 } }],
    ])("%s", (_name, base, overlay, expected) => {
        const baseBefore = structuredClone(base);
        const overlayBefore = structuredClone(overlay);
        const merged = deepMerge(base, overlay);
        expect(merged).toStrictEqual(expected);
        expect(merged).not.toBe(base);
        // Neither input is changed.
        expect(base).toStrictEqual(baseBefore);
        expect(overlay).toStrictEqual(overlayBefore);
    });
});

describe("omit and compact", () => {
    test.each<[string, Record<string, unknown>, string[], Record<string, unknown>]>([
        ["the named keys go", { a: 1, b: 2, c: 3 }, ["a", "c"], { b: 2 }],
        ["keys that are not there are ignored", { a: 1 }, ["z"], { a: 1 }],
        ["only top-level keys", { a: { b: 1 }, b: 2 }, ["b"], { a: { b: 1 } }],
        ["nothing to omit", { a: 1 }, [], { a: 1 }],
    ])("omit: %s", (_name, value, keys, expected) => {
        const before = structuredClone(value);
        expect(omit(value, keys)).toStrictEqual(expected);
        expect(value).toStrictEqual(before);
    });

    test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["undefined and null go", { a: undefined, b: null, c: 1 }, { c: 1 }],
        ["falsy values stay", { zero: 0, empty: "", no: false, nan: NaN }, { zero: 0, empty: "", no: false, nan: NaN }],
        ["only the top level is compacted", { a: { b: null } }, { a: { b: null } }],
        ["all absent leaves an empty object", { a: undefined, b: null }, {}],
    ])("compact: %s", (_name, value, expected) => {
        expect(compact(value)).toStrictEqual(expected);
    });
});

describe("UUIDs", () => {
    test.each<[string, boolean, unknown]>([
        ["lower case", true, ID],
        ["upper case", true, ID.toUpperCase()],
        ["the nil UUID", true, "00000000-0000-0000-0000-000000000000"],
        // The guard checks shape only; callers test isKnown first (actor-inputs, connection-inputs).
        ["Pulumi's unknown sentinel, which has a UUID's shape", true, UNKNOWN],
        ["without hyphens", false, ID.replace(/-/g, "")],
        ["in braces", false, `{${ID}}`],
        ["with surrounding whitespace", false, ` ${ID}`],
        ["with a trailing newline", false, `${ID}\n`],
        ["a non-hex digit", false, ID.replace("5", "g")],
        ["one digit short", false, ID.slice(0, -1)],
        ["a name", false, "my-source"],
        ["a number", false, 42],
        ["undefined", false, undefined],
        ["an object holding one", false, { id: ID }],
    ])("isUuid: %s -> %p", (_name, expected, value) => {
        expect(isUuid(value)).toBe(expected);
    });

    test.each<[string, string]>([
        ["lower case", ID],
        ["upper case", ID.toUpperCase()],
    ])("requireUuidFromState returns a valid id (%s) unchanged", (_name, id) => {
        expect(requireUuidFromState(id, "source", "update")).toBe(id);
    });

    test.each<[string, unknown, string, string, string]>([
        // name, id, noun, operation, how the id is shown
        ["a name instead of an id", "my-source", "source", "read", '"my-source"'],
        ["a missing id", undefined, "destination", "delete", '"undefined"'],
        ["a number", 42, "connection", "update", '"42"'],
        ["an id with a trailing newline", `${ID}\n`, "source", "delete", JSON.stringify(`${ID}\n`)],
    ])("requireUuidFromState refuses %s, naming the noun and operation", (_name, id, noun, operation, shown) => {
        const error = thrown(() => requireUuidFromState(id, noun, operation));
        expect(
            error.message.startsWith(`${noun} ${operation}: the id in the stack's state, ${shown}, is not a UUID`),
        ).toBe(true);
        expect(error.message).toContain("nothing was sent to Airbyte");
    });

    test("requireUuidFromState shows at most 80 characters of a long bad id", () => {
        const long = "x".repeat(500);
        expect(() => requireUuidFromState(long, "source", "read")).toThrow(`state, "${"x".repeat(79)}, is not a UUID`);
    });
});

describe("leaves", () => {
    test.each<[string, unknown, [string[], unknown][]]>([
        ["a scalar is its own leaf, at the empty path", 5, [[[], 5]]],
        ["null is a leaf", null, [[[], null]]],
        ["an empty object has none", {}, []],
        ["an empty array has none", [], []],
        [
            "nested objects give dotted paths, in member order",
            { host: "h", ssl: { mode: "require", ca: null } },
            [
                [["host"], "h"],
                [["ssl", "mode"], "require"],
                [["ssl", "ca"], null],
            ],
        ],
        [
            "array items are numbered",
            { tags: ["a", { b: true }], empty: [] },
            [
                [["tags", "0"], "a"],
                [["tags", "1", "b"], true],
            ],
        ],
    ])("%s", (_name, value, expected) => {
        expect([...leaves(value)]).toStrictEqual(expected);
    });

    test("a starting path prefixes every leaf", () => {
        expect([...leaves({ a: 1 }, ["configuration"])]).toStrictEqual([[["configuration", "a"], 1]]);
    });
});
