// @ts-check
// The `__provider` text of each resource type, serialized the way `pulumi.dynamic.Resource`
// does it (`serializeFunction(() => provider, { allowSecrets: true })`). CommonJS, because the
// closure serializer inspects the scope of `() => provider` through V8's inspector.
"use strict";
const pulumi = require("@pulumi/pulumi");
const {
    sourceProvider,
    destinationProvider,
    connectionProvider,
} = require("../../dist/provider/resources/serialized-providers.js");

const OBJECTS = { Source: sourceProvider, Destination: destinationProvider, Connection: connectionProvider };

/**
 * The `__provider` text of a resource type.
 * @param {keyof typeof OBJECTS} type
 * @returns {Promise<string>}
 */
async function serializedProvider(type) {
    const object = OBJECTS[type];
    return (await pulumi.runtime.serializeFunction(() => object, { allowSecrets: true })).text;
}

module.exports = { serializedProvider };
