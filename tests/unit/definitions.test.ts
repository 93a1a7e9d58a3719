import { describeDefinition, matchDefinition, nameDefinition } from "../../provider/runtime/definitions";

const definitions = [
    {
        id: "b5ea17b1-f170-46dc-bc31-cc744ca984c1",
        name: "Microsoft SQL Server (MSSQL)",
        dockerRepository: "airbyte/source-mssql",
        dockerImageTag: "4.1.0",
    },
    {
        id: "decd338e-5647-4c0b-adf4-da0e75f5a750",
        name: "Postgres",
        dockerRepository: "airbyte/source-postgres",
        dockerImageTag: "3.6.0",
    },
    {
        id: "435bb9a5-7887-4809-aa58-28c27df0d7ad",
        name: "MySQL",
        dockerRepository: "airbyte/source-mysql",
        dockerImageTag: "3.9.0",
    },
    {
        id: "11111111-2222-4333-8444-555555555555",
        name: "Internal CRM",
        dockerRepository: "registry.example.com/acme/source-crm",
        dockerImageTag: "1.0.0",
        custom: true,
    },
];

describe("matchDefinition", () => {
    test.each([
        ["airbyte/source-mssql", "b5ea17b1-f170-46dc-bc31-cc744ca984c1"],
        ["AIRBYTE/SOURCE-MSSQL", "b5ea17b1-f170-46dc-bc31-cc744ca984c1"],
        ["source-postgres", "decd338e-5647-4c0b-adf4-da0e75f5a750"],
        ["MySQL", "435bb9a5-7887-4809-aa58-28c27df0d7ad"],
        ["435bb9a5-7887-4809-aa58-28c27df0d7ad", "435bb9a5-7887-4809-aa58-28c27df0d7ad"],
        ["source-crm", "11111111-2222-4333-8444-555555555555"],
        ["Internal CRM", "11111111-2222-4333-8444-555555555555"],
    ])("%s", (query, id) => {
        expect(matchDefinition(query, definitions).found?.id).toBe(id);
    });

    test("a typo lists close matches", () => {
        const match = matchDefinition("airbyte/source-mssq", definitions);
        expect(match.found).toBeUndefined();
        expect(match.found === undefined && match.closeMatches.map((d) => d.dockerRepository)[0]).toBe(
            "airbyte/source-mssql",
        );
    });

    test("a typo among many definitions offers at most three, the closest first", () => {
        const many = [
            ...definitions,
            ...Array.from({ length: 40 }, (_, i) => ({
                id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
                name: `Source ${i}`,
                dockerRepository: `airbyte/source-ms${i}`,
            })),
        ];
        const match = matchDefinition("airbyte/source-mssqll", many);
        expect(match.found === undefined && match.closeMatches.length).toBeLessThanOrEqual(3);
        expect(match.found === undefined && match.closeMatches[0]!.dockerRepository).toBe("airbyte/source-mssql");
    });

    test("an unrelated name has no close matches", () => {
        const match = matchDefinition("salesforce-marketing-cloud", definitions);
        expect(match.found === undefined && match.closeMatches).toEqual([]);
    });

    test("describeDefinition names repository, name, version and id", () => {
        expect(describeDefinition(definitions[3]!)).toBe(
            'registry.example.com/acme/source-crm ("Internal CRM" 1.0.0, custom, id 11111111-2222-4333-8444-555555555555)',
        );
    });

    test("nameDefinition, for close matches, is repository and name only", () => {
        expect(nameDefinition(definitions[0]!)).toBe('airbyte/source-mssql ("Microsoft SQL Server (MSSQL)")');
    });
});
