/** The package version, sent as the User-Agent. A unit test keeps it equal to package.json's. */
export const PACKAGE_NAME = "pulumi-airbyte-dynamic";
export const PACKAGE_VERSION = "0.1.0";
