import { engineFailures, parsePath, shownValue } from "../../provider/runtime/check-failures";
import { closeMatches, listSome } from "../../provider/runtime/hints";
import { UNKNOWN } from "../../provider/runtime/values";

const inputs = {
    name: "orders",
    schedule: { type: "cron", cron: "0 0 * * *", timeZone: "europe/paris" },
    configuration: { port: "1433", replication_method: { method: "CDC" } },
    secrets: { password: "s3cr3t-Value", token: { secretsManager: { secretId: "db/app", key: "token" } } },
    streams: [{ name: "orders", namespace: "dbo", cursorField: "updatedAt" }, { name: "customers" }],
    server: UNKNOWN,
};

describe("the value a check failure shows", () => {
    test.each([
        ["schedule.cron", '"0 0 * * *"'],
        ["configuration.port", '"1433"'],
        ["configuration.replication_method.method", '"CDC"'],
        ["configuration.database", "(not set)"],
        ["secrets.password", "(secret, not shown)"],
        ["secrets.token.secretsManager.secretId", '"db/app"'],
        ["streams[0].cursorField", '"updatedAt"'],
        ['streams["dbo.orders"].cursorField', '"updatedAt"'],
        ["streams[1].syncMode", "(not set)"],
        ["server.url", "(not known until apply)"],
        ["name", '"orders"'],
    ])("%s → %s", (...[path, shown]: [string, string]) => {
        expect(shownValue(path, inputs)).toBe(shown);
    });

    test("paths that name no input value show nothing rather than a wrong value", () => {
        expect(shownValue("provider", inputs)).toBeUndefined();
        expect(shownValue("streams[5].name", inputs)).toBeUndefined();
        expect(shownValue("name.first", inputs)).toBeUndefined();
    });

    test("long values are shortened", () => {
        expect(shownValue("streams", inputs)).toBe("(2 items)");
        expect(shownValue("name", { name: "x".repeat(100) })).toMatch(/^"x+…$/);
    });

    test("parsePath reads dotted, indexed and quoted segments", () => {
        expect(parsePath('streams["dbo.orders"].primaryKey[0]')).toEqual(["streams", "dbo.orders", "primaryKey", 0]);
    });
});

describe("failures handed to the engine", () => {
    test("carry no property (the engine would print {<nil>} for a nested one) and name path and value in the reason", () => {
        const [failure] = engineFailures(
            [{ property: "schedule.cron", reason: "a Quartz cron has 6 or 7 fields" }],
            inputs,
        );
        expect(failure).toEqual({
            property: "",
            reason: 'schedule.cron "0 0 * * *": a Quartz cron has 6 or 7 fields',
            path: "schedule.cron",
            detail: "a Quartz cron has 6 or 7 fields",
        });
    });

    test("never show a secret value", () => {
        const [failure] = engineFailures([{ property: "secrets.password", reason: "is too short" }], inputs);
        expect(failure!.reason).toBe("secrets.password (secret, not shown): is too short");
        expect(JSON.stringify(failure)).not.toContain("s3cr3t-Value");
    });

    test("provider settings are named as such", () => {
        const [failure] = engineFailures(
            [{ property: "provider", reason: "airbyte:serverUrl must be an absolute http(s) URL" }],
            inputs,
        );
        expect(failure!.reason).toBe("provider settings: airbyte:serverUrl must be an absolute http(s) URL");
    });
});

describe("hints", () => {
    const names = [
        "airbyte/source-mssql",
        "airbyte/source-mysql",
        "airbyte/source-postgres",
        "airbyte/source-mongodb-v2",
        "airbyte/source-faker",
    ];

    test("at most three close matches, best first", () => {
        expect(closeMatches("airbyte/source-mssqll", names, (n) => [n])).toEqual([
            "airbyte/source-mssql",
            "airbyte/source-mysql",
        ]);
        const many = Array.from({ length: 20 }, (_, i) => `table_${i}`);
        expect(closeMatches("table_", many, (n) => [n])).toHaveLength(3);
    });

    test("nothing when nothing is close", () => {
        expect(closeMatches("salesforce", names, (n) => [n])).toEqual([]);
    });

    test("long lists are capped, with a count", () => {
        const many = Array.from({ length: 25 }, (_, i) => `s${i}`);
        expect(listSome(many)).toBe("s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, … (25 in all)");
        expect(listSome(["a", "b"])).toBe("a, b");
        expect(listSome([])).toBe("(none)");
    });
});
